package io.latchkey.cloud.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicInteger;

/** Live streams open, and streams dropped because their client fell too far behind. */
@Singleton
public class LiveMetrics {
    static final String OPEN = "latchkey.live.streams";
    static final String DROPPED = "latchkey.live.dropped";

    private final MeterRegistry registry;
    private final TenantTag tenantTag;
    private final AtomicInteger open = new AtomicInteger();

    public LiveMetrics(MeterRegistry registry, TenantTag tenantTag) {
        this.registry = registry;
        this.tenantTag = tenantTag;
        Gauge.builder(OPEN, open, AtomicInteger::get).description("Live streams open").register(registry);
    }

    public void opened() {
        open.incrementAndGet();
    }

    public void closed() {
        open.decrementAndGet();
    }

    /** A stream whose queue passed its bound and was closed. */
    public void dropped(String tenant) {
        Counter.builder(DROPPED).description("Live streams dropped because their client read too slowly")
                .tag("tenant", tenantTag.of(tenant)).register(registry).increment();
    }
}
