package io.latchkey.cloud.telemetry;

import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.tenant.TenantDirectory;
import io.latchkey.protocol.MalformedMessageException;
import io.latchkey.protocol.Topic;

/** Resolves a topic to the car of a known tenant, or refuses the message. */
final class KnownDevices {
    private KnownDevices() {
    }

    static String carOf(TenantDirectory tenants, CarRegistry cars, Topic topic) {
        if (!tenants.exists(topic.tenant())) {
            throw new MalformedMessageException("unknown tenant " + topic.tenant());
        }
        return cars.carOfDevice(topic.tenant(), topic.deviceId())
                .orElseThrow(() -> new MalformedMessageException("unknown device " + topic.deviceId()));
    }
}
