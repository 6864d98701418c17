package io.latchkey.cloud.event;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Index document {@code event-index/open-alerts}: the ids of the unacknowledged alerts of each car, so that
 * a fleet view of a thousand cars reads one document instead of every event. Changed by conditional
 * writes only (raise adds, acknowledge removes), so replicas cannot lose each other's changes.
 */
record OpenAlerts(Map<String, List<String>> byCar) {
    static final String ID = "open-alerts";
    static final OpenAlerts EMPTY = new OpenAlerts(Map.of());

    OpenAlerts {
        byCar = byCar == null ? Map.of() : Map.copyOf(byCar);
    }

    OpenAlerts with(String carId, String eventId) {
        return change(carId, ids -> ids.add(eventId));
    }

    OpenAlerts without(String carId, String eventId) {
        return change(carId, ids -> ids.remove(eventId));
    }

    private OpenAlerts change(String carId, java.util.function.Consumer<Set<String>> change) {
        Set<String> ids = new LinkedHashSet<>(byCar.getOrDefault(carId, List.of()));
        change.accept(ids);
        Map<String, List<String>> next = new HashMap<>(byCar);
        if (ids.isEmpty()) {
            next.remove(carId);
        } else {
            next.put(carId, List.copyOf(ids));
        }
        return new OpenAlerts(next);
    }
}
