package io.latchkey.cloud.fleet;

import java.util.Map;

/** How many alerts of each car are open (not acknowledged), from memory; {@link EventOpenAlerts} fills it. */
public interface OpenAlerts {

    /** Open alerts per car id of the tenant; cars without any may be absent. */
    Map<String, Integer> openByCar(String tenant);
}
