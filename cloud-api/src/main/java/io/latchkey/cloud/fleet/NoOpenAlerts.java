package io.latchkey.cloud.fleet;

import jakarta.inject.Singleton;
import java.util.Map;

/**
 * No feature keeps alerts yet: every car has none open. To be replaced by an adapter over the events feature's
 * open-alert counts ({@code @Replaces(NoOpenAlerts.class)} in this package).
 */
@Singleton
public class NoOpenAlerts implements OpenAlerts {
    @Override
    public Map<String, Integer> openByCar(String tenant) {
        return Map.of();
    }
}
