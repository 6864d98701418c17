package io.latchkey.agent.mqtt;

/**
 * The MQTT client identifier of a device. Device ids are unique only inside a tenant, so the tenant
 * is part of it; ':' appears in neither id, so the pair can be read back unambiguously.
 */
public final class DeviceClientId {
    private DeviceClientId() {
    }

    public static String of(String tenant, String deviceId) {
        return tenant + ":" + deviceId;
    }
}
