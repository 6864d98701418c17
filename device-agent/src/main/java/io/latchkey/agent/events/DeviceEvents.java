package io.latchkey.agent.events;

import io.latchkey.agent.mqtt.BrokerConnection;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.telemetry.DeviceEvent;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes {@link DeviceEvent}s (TAMPER, LOW_VOLTAGE, ...) on the event channel. Best effort: an event
 * raised while offline is logged and not queued; the state it reports is also in the telemetry
 * records, which are journalled. (Journal evictions have their own durable reporting.)
 */
public final class DeviceEvents {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceEvents.class);

    private final BrokerConnection connection;
    private final String deviceId;
    private final Clock clock;

    public DeviceEvents(BrokerConnection connection, String deviceId, Clock clock) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Publishes {@code event} as it is (its own time and details), best effort: what must arrive is also journalled
     * (an offline key's use travels on a telemetry record; the backend stores the two copies once).
     */
    public void publish(DeviceEvent event) {
        if (!connection.isConnected()) {
            return;
        }
        connection.publish(Channel.EVENT, Json.write(event), false).exceptionally(e -> {
            LOG.debug("{}: event {} not published: {}", deviceId, event.type(), e.toString());
            return null;
        });
    }

    public void publish(String type, Map<String, String> details) {
        LOG.info("{}: event {} {}", deviceId, type, details);
        if (!connection.isConnected()) {
            return;
        }
        connection.publish(Channel.EVENT, Json.write(new DeviceEvent(deviceId, type, clock.instant(), details)), false)
                .exceptionally(e -> {
                    LOG.debug("{}: event {} not published: {}", deviceId, type, e.toString());
                    return null;
                });
    }
}
