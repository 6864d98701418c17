package io.latchkey.cloud.platform;

import io.latchkey.cloud.store.StoreJson;
import io.latchkey.cloud.store.Stores;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Performance and security counters, written periodically to the platform store (stream
 * {@code performance}) so they outlive the process. Counters are summed over tenants: per-tenant
 * activity belongs in each tenant's own store, not in the platform's.
 */
@Singleton
public class PerformanceSnapshots {
    public static final String STREAM = "performance";
    private static final String TENANT_TAG = "tenant";
    private static final Logger LOG = LoggerFactory.getLogger(PerformanceSnapshots.class);

    private final MeterRegistry registry;
    private final Stores stores;
    private final Clock clock;

    public PerformanceSnapshots(MeterRegistry registry, Stores stores, Clock clock) {
        this.registry = registry;
        this.stores = stores;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "${latchkey.metrics.snapshot-interval:5m}", initialDelay = "${latchkey.metrics.snapshot-interval:5m}")
    void scheduled() {
        try {
            snapshot();
        } catch (RuntimeException e) {
            LOG.warn("could not write a performance snapshot to the platform store: {}", e.toString());
        }
    }

    /** Writes one snapshot of the Latchkey meters and returns what was written. */
    public Map<String, Object> snapshot() {
        Map<String, Double> counters = new TreeMap<>();
        Map<String, Map<String, Double>> timers = new TreeMap<>();
        for (Meter meter : registry.getMeters()) {
            String name = meter.getId().getName();
            if (!name.startsWith("latchkey.")) {
                continue;
            }
            String key = name + tagsWithoutTenant(meter);
            if (meter instanceof Counter counter) {
                counters.merge(key, counter.count(), Double::sum);
            } else if (meter instanceof Timer timer) {
                Map<String, Double> t = timers.computeIfAbsent(key, k -> new TreeMap<>());
                t.merge("count", (double) timer.count(), Double::sum);
                t.merge("totalMs", timer.totalTime(TimeUnit.MILLISECONDS), Double::sum);
                t.merge("maxMs", timer.max(TimeUnit.MILLISECONDS), Math::max);
            }
        }
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("time", clock.instant().toString());
        snapshot.put("counters", counters);
        snapshot.put("timers", timers);
        stores.platform().append(STREAM, StoreJson.write(snapshot));
        return snapshot;
    }

    private static String tagsWithoutTenant(Meter meter) {
        StringBuilder tags = new StringBuilder();
        for (Tag tag : meter.getId().getTagsAsIterable()) {
            if (!TENANT_TAG.equals(tag.getKey())) {
                tags.append(tags.length() == 0 ? "{" : ",").append(tag.getKey()).append('=').append(tag.getValue());
            }
        }
        return tags.length() == 0 ? "" : tags.append('}').toString();
    }
}
