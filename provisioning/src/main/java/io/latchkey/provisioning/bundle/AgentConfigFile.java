package io.latchkey.provisioning.bundle;

import java.time.Instant;
import java.util.Map;

/**
 * The agent's configuration in the bundle, {@code agent.properties}, in the keys of the device agent's
 * {@code AgentConfigLoader}. Relative paths are resolved against the file's own directory, as the
 * agent does for {@code data.dir}. The TLS keys are written only for an {@code ssl://} broker.
 */
public final class AgentConfigFile {
    public static final String NAME = "agent.properties";
    public static final String TLS_CERTIFICATE = "mqtt.tls.certificate";
    public static final String TLS_PRIVATE_KEY = "mqtt.tls.private-key";
    public static final String TLS_CA = "mqtt.tls.ca";

    private AgentConfigFile() {
    }

    /**
     * @param commandKeys key id to base64 Ed25519 public key
     * @param brokerCa    file name of the broker's CA certificates, or null to use the system trust store
     */
    public static String render(String tenant, String deviceId, String carId, String mqttUrl, Map<String, String> commandKeys,
                                String dataDir, String brokerCa, Instant createdAt) {
        return render(tenant, deviceId, carId, mqttUrl, commandKeys, dataDir, brokerCa, createdAt, Map.of(), null);
    }

    /**
     * @param hardware      the {@code hardware.*} keys ({@link HardwareSection#keys}), in order
     * @param hardwareLabel what the hardware section is, for its comment line
     */
    public static String render(String tenant, String deviceId, String carId, String mqttUrl, Map<String, String> commandKeys,
                                String dataDir, String brokerCa, Instant createdAt, Map<String, String> hardware, String hardwareLabel) {
        StringBuilder out = new StringBuilder();
        out.append("# Latchkey agent configuration for device ").append(deviceId).append(" in car ").append(carId)
                .append(", tenant ").append(tenant).append(".\n");
        out.append("# Written by 'latchkey provision' at ").append(createdAt).append(". Keep device.key secret (mode 0600).\n");
        line(out, "tenant", tenant);
        line(out, "device.id", deviceId);
        line(out, "mqtt.url", mqttUrl);
        if (mqttUrl.startsWith("ssl://")) {
            line(out, TLS_CERTIFICATE, BundleLayout.DEVICE_CERTIFICATE);
            line(out, TLS_PRIVATE_KEY, BundleLayout.DEVICE_KEY);
            if (brokerCa != null) {
                line(out, TLS_CA, brokerCa);
            }
        }
        commandKeys.forEach((kid, key) -> line(out, "command.keys." + kid, key));
        line(out, "data.dir", dataDir);
        if (!hardware.isEmpty()) {
            out.append("# Hardware: ").append(hardwareLabel).append(" (see docs/installer-guide.md, 'Hardware keys').\n");
            hardware.forEach((key, value) -> line(out, key, value));
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String key, String value) {
        out.append(key).append('=').append(escape(value)).append('\n');
    }

    /** In a properties value only backslashes and line breaks need escaping; ':' and '=' stay readable. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
