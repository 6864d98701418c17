package io.latchkey.cloud.mqtt.security;

import io.latchkey.protocol.Topic;
import java.util.Optional;

/**
 * Who an MQTT connection is, once its certificate (or, on the plain listener, its connect token) has been
 * verified: a device of a tenant, a platform service (the backend), or an anonymous plain-listener client. Stored with the connection as a short text so that the
 * authorizers can read it back on every publish and subscribe.
 */
public sealed interface MqttIdentity {
    /** The only MQTT client id a device may use: {@code {tenant}:{deviceId}}, unique across tenants. */
    static String deviceClientId(String tenant, String deviceId) {
        Topic.requireTenantId(tenant);
        Topic.requireDeviceId(deviceId);
        return tenant + ":" + deviceId;
    }

    String encode();

    static Optional<MqttIdentity> decode(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String[] parts = text.split(":", -1);
        if (parts.length == 4 && "device".equals(parts[0]) && Topic.isValidTenantId(parts[1]) && Topic.isValidDeviceId(parts[2])) {
            return Optional.of(new Device(parts[1], parts[2], parts[3]));
        }
        if (parts.length == 1 && "anonymous".equals(parts[0])) {
            return Optional.of(new Anonymous());
        }
        if (parts.length == 2 && "service".equals(parts[0]) && !parts[1].isEmpty()) {
            return Optional.of(new Service(parts[1]));
        }
        return Optional.empty();
    }

    record Device(String tenant, String deviceId, String carId) implements MqttIdentity {
        public Device {
            Topic.requireTenantId(tenant);
            Topic.requireDeviceId(deviceId);
        }

        public String clientId() {
            return deviceClientId(tenant, deviceId);
        }

        @Override
        public String encode() {
            return "device:" + tenant + ":" + deviceId + ":" + carId;
        }
    }

    /** A client of the plain listener that claims no device: it may use no topic under {@code lk/}. */
    record Anonymous() implements MqttIdentity {
        @Override
        public String encode() {
            return "anonymous";
        }
    }

    record Service(String name) implements MqttIdentity {
        @Override
        public String encode() {
            return "service:" + name;
        }
    }
}
