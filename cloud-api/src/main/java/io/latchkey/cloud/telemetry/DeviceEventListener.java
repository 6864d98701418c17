package io.latchkey.cloud.telemetry;

import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.live.LiveDeviceEvent;
import io.latchkey.cloud.live.LiveFeed;
import io.latchkey.cloud.mqtt.DeviceMessageListener;
import io.latchkey.cloud.store.StoreJson;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.tenant.TenantDirectory;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.Topic;
import io.latchkey.protocol.telemetry.DeviceEvent;
import jakarta.inject.Singleton;
import java.util.Set;

/** Keeps device events (tamper, low voltage, journal evictions) in the tenant's {@code device-events} stream. */
@Singleton
public class DeviceEventListener implements DeviceMessageListener {
    private final TenantDirectory tenants;
    private final CarRegistry cars;
    private final Stores stores;
    private final LiveFeed live;

    public DeviceEventListener(TenantDirectory tenants, CarRegistry cars, Stores stores, LiveFeed live) {
        this.live = live;
        this.tenants = tenants;
        this.cars = cars;
        this.stores = stores;
    }

    @Override
    public Set<Channel> channels() {
        return Set.of(Channel.EVENT);
    }

    @Override
    public void onMessage(Topic topic, byte[] payload) {
        String carId = KnownDevices.carOf(tenants, cars, topic);
        DeviceEvent event = Json.read(payload, DeviceEvent.class);
        DeviceEvent attributed = new DeviceEvent(topic.deviceId(), event.type(), event.at(), event.details());
        stores.tenant(topic.tenant()).append("device-events", StoreJson.write(attributed));
        live.publishEvent(topic.tenant(), new LiveDeviceEvent(carId, event.type(), event.at(), event.details()));
    }
}
