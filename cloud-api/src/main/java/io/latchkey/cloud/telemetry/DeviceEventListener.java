package io.latchkey.cloud.telemetry;

import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.event.Events;
import io.latchkey.cloud.mqtt.DeviceMessageListener;
import io.latchkey.cloud.tenant.TenantDirectory;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.MalformedMessageException;
import io.latchkey.protocol.Topic;
import io.latchkey.protocol.telemetry.DeviceEvent;
import io.latchkey.cloud.InvalidRequestException;
import jakarta.inject.Singleton;
import java.util.Set;

/**
 * Stores device events (tamper, low voltage, journal evictions) as {@link Events}, attributed to the device of the
 * topic (not the one the payload names) and its car; a redelivered event is stored once. Alert types are mailed.
 */
@Singleton
public class DeviceEventListener implements DeviceMessageListener {
    private final TenantDirectory tenants;
    private final CarRegistry cars;
    private final Events events;

    public DeviceEventListener(TenantDirectory tenants, CarRegistry cars, Events events) {
        this.tenants = tenants;
        this.cars = cars;
        this.events = events;
    }

    @Override
    public Set<Channel> channels() {
        return Set.of(Channel.EVENT);
    }

    @Override
    public void onMessage(Topic topic, byte[] payload) {
        String carId = KnownDevices.carOf(tenants, cars, topic);
        DeviceEvent event = Json.read(payload, DeviceEvent.class);
        try {
            events.fromDevice(topic.tenant(), carId, topic.deviceId(), event.type(), event.at(), event.details());
        } catch (InvalidRequestException e) {
            throw new MalformedMessageException("event of " + topic.deviceId() + ": " + e.getMessage());
        }
    }
}
