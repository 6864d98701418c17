package io.latchkey.cloud.telemetry;

import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.car.CarState;
import io.latchkey.cloud.live.LiveFeed;
import io.latchkey.cloud.live.LiveState;
import io.latchkey.cloud.mqtt.DeviceMessageListener;
import io.latchkey.cloud.tenant.TenantDirectory;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.MalformedMessageException;
import io.latchkey.protocol.Topic;
import io.latchkey.protocol.telemetry.DeviceState;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Set;

/** The retained device state and its last will: online or offline, and the lock state on connect. */
@Singleton
public class DeviceStateListener implements DeviceMessageListener {
    private final TenantDirectory tenants;
    private final CarRegistry cars;
    private final Clock clock;
    private final LiveFeed live;

    public DeviceStateListener(TenantDirectory tenants, CarRegistry cars, Clock clock, LiveFeed live) {
        this.live = live;
        this.tenants = tenants;
        this.cars = cars;
        this.clock = clock;
    }

    @Override
    public Set<Channel> channels() {
        return Set.of(Channel.STATE);
    }

    @Override
    public void onMessage(Topic topic, byte[] payload) {
        String carId = KnownDevices.carOf(tenants, cars, topic);
        DeviceState state = Json.read(payload, DeviceState.class);
        if (!topic.deviceId().equals(state.deviceId())) {
            throw new MalformedMessageException("state of " + state.deviceId() + " on " + topic);
        }
        CarState now = cars.updateStateFromDevice(topic.tenant(), carId, s -> (state.online()
                ? s.withLock(state.lockState(), null, clock.instant())
                : s.withOnline(false, clock.instant()))
                // a car going to sleep says so, with its next wake; a last will (no power state) leaves what was known
                .withPower(state.powerState() != null || state.online() ? state.powerState() : s.powerState(),
                        state.powerState() != null || state.online() ? state.nextWake() : s.nextWake()));
        live.publishState(topic.tenant(), carId, LiveState.DEVICE, now, null, null);
    }
}
