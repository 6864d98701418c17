package io.latchkey.cloud.fleet;

import io.latchkey.cloud.event.Events;
import io.latchkey.cloud.live.LiveConfig;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * {@link OpenAlerts} from the events feature's open-alert index ({@link Events#openAlertCounts}, one document per
 * tenant), kept in memory and refreshed in the background every {@link LiveConfig#snapshotRefresh}: an alert raised
 * or acknowledged a moment ago shows in the count after at most that long (the stream carries it at once).
 */
@Singleton
public class EventOpenAlerts implements OpenAlerts {
    private final TenantSnapshots<Map<String, Integer>> counts;

    public EventOpenAlerts(Events events, LiveConfig config, @Named(TaskExecutors.IO) ExecutorService io) {
        this.counts = new TenantSnapshots<>(tenant -> Map.copyOf(events.openAlertCounts(tenant)), config.snapshotRefresh(), io);
    }

    @Override
    public Map<String, Integer> openByCar(String tenant) {
        return counts.get(tenant);
    }
}
