package io.latchkey.agent.config;

import io.latchkey.agent.AgentConfigException;
import io.latchkey.hal.assembly.HardwareConfig;
import io.latchkey.agent.mqtt.MqttTls;
import io.latchkey.hal.can.obd.ObdPid;
import io.latchkey.hal.config.ConfigException;
import io.latchkey.hal.config.ConfigFile;
import io.latchkey.hal.config.ConfigValues;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Reads an {@link AgentConfig} from a {@code .properties} or {@code .json} file. Both formats use the
 * same keys: a JSON object is flattened with dots, so {@code {"device":{"id":"dev-1"}}} and
 * {@code device.id=dev-1} mean the same. An unknown key stops the agent, since a typo would otherwise
 * silently fall back to a default. A relative {@code data.dir} is resolved against the file's folder.
 *
 * <pre>
 * tenant=acme
 * device.id=dev-001
 * mqtt.url=tcp://127.0.0.1:1883
 * command.keys.cmd-1=MCowBQYDK2VwAyEA...
 * data.dir=/var/lib/latchkey
 * telemetry.interval.moving=5s
 * telemetry.interval.parked=60s
 * </pre>
 */
public final class AgentConfigLoader {
    public static final String TENANT = "tenant";
    public static final String DEVICE_ID = "device.id";
    public static final String MQTT_URL = "mqtt.url";
    public static final String COMMAND_KEYS = "command.keys";
    public static final String COMMAND_SKEW = "command.skew";
    public static final String FEEDBACK_TIMEOUT = "command.feedback-timeout";
    public static final String HISTORY_SIZE = "command.history-size";
    public static final String MOVING_INTERVAL = "telemetry.interval.moving";
    public static final String PARKED_INTERVAL = "telemetry.interval.parked";
    public static final String MOVING_SPEED = "telemetry.moving-speed-kmh";
    public static final String DATA_DIR = "data.dir";
    public static final String RECONNECT_INITIAL = "mqtt.reconnect.initial-delay";
    public static final String RECONNECT_MAX = "mqtt.reconnect.max-delay";
    public static final String SESSION_EXPIRY = "mqtt.session-expiry";
    public static final String JOURNAL_MAX_BYTES = "journal.max-bytes";
    public static final String JOURNAL_SEGMENT_BYTES = "journal.segment-bytes";
    public static final String JOURNAL_FSYNC_INTERVAL = "journal.fsync-interval";
    public static final String TELEMETRY_BATCH_SIZE = "telemetry.batch-size";
    public static final String TELEMETRY_RECEIPT_TIMEOUT = "telemetry.receipt-timeout";
    public static final String OBD_PIDS = "can.obd.pids";
    public static final String OBD_INTERVAL = "can.obd.interval";
    public static final String KEYS_OFFLINE = "keys.offline";
    public static final String KEYS_TIME_PERSIST = "keys.time-persist-interval";

    private static final Set<String> KNOWN = Set.of(TENANT, DEVICE_ID, MQTT_URL, MqttTls.CERTIFICATE_KEY, MqttTls.PRIVATE_KEY_KEY, MqttTls.CA_KEY,
            COMMAND_SKEW, FEEDBACK_TIMEOUT,
            HISTORY_SIZE, MOVING_INTERVAL, PARKED_INTERVAL, MOVING_SPEED, DATA_DIR, RECONNECT_INITIAL, RECONNECT_MAX,
            SESSION_EXPIRY, JOURNAL_MAX_BYTES, JOURNAL_SEGMENT_BYTES, JOURNAL_FSYNC_INTERVAL, TELEMETRY_BATCH_SIZE,
            TELEMETRY_RECEIPT_TIMEOUT, OBD_PIDS, OBD_INTERVAL,
            KEYS_OFFLINE, KEYS_TIME_PERSIST);

    private AgentConfigLoader() {
    }

    /** Loads a {@code .json} file as JSON and anything else as Java properties. */
    public static AgentConfig load(Path file) {
        Map<String, String> values;
        try {
            values = ConfigFile.read(file);
        } catch (ConfigException e) {
            throw new AgentConfigException(e.getMessage(), e);
        }
        return fromMap(values, file.toAbsolutePath().getParent());
    }

    /**
     * Builds from flat key/value pairs; a relative {@code data.dir} is resolved against {@code base}.
     * Values are read with the one parser all of the agent's keys share ({@link ConfigValues}).
     */
    public static AgentConfig fromMap(Map<String, String> values, Path base) {
        try {
            return read(new TreeMap<>(values), base);
        } catch (ConfigException e) {
            throw new AgentConfigException(e.getMessage(), e);
        }
    }

    private static AgentConfig read(Map<String, String> sorted, Path base) {
        AgentConfig.Builder b = AgentConfig.builder();
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            String key = e.getKey();
            String value = e.getValue() == null ? "" : e.getValue().strip();
            if (key.startsWith(HardwareConfig.PREFIX) || key.startsWith(io.latchkey.agent.power.PowerSettings.PREFIX)) {
                continue;
            } else if (key.startsWith(COMMAND_KEYS + ".")) {
                b.commandKey(key.substring(COMMAND_KEYS.length() + 1), value);
            } else if (!KNOWN.contains(key)) {
                throw new AgentConfigException(key + ": unknown key (known: "
                        + String.join(", ", new TreeSet<>(KNOWN)) + ", " + COMMAND_KEYS + ".<keyId>, hardware.*, power.*)");
            }
        }
        b.power(io.latchkey.agent.power.PowerSettings.parse(sorted));
        if (sorted.keySet().stream().anyMatch(k -> k.startsWith(HardwareConfig.PREFIX))) {
            b.hardware(HardwareConfig.parse(sorted, base));
        }
        apply(sorted, TENANT, b::tenant);
        apply(sorted, DEVICE_ID, b::deviceId);
        apply(sorted, MQTT_URL, b::mqttUrl);
        applyTls(sorted, base, b);
        apply(sorted, DATA_DIR, v -> {
            Path p = Path.of(v);
            b.dataDir(p.isAbsolute() || base == null ? p : base.resolve(p).normalize());
        });
        apply(sorted, COMMAND_SKEW, v -> b.commandSkew(ConfigValues.duration(COMMAND_SKEW, v)));
        apply(sorted, FEEDBACK_TIMEOUT, v -> b.feedbackTimeout(ConfigValues.duration(FEEDBACK_TIMEOUT, v)));
        apply(sorted, HISTORY_SIZE, v -> b.commandHistorySize(ConfigValues.integer(HISTORY_SIZE, v)));
        apply(sorted, MOVING_INTERVAL, v -> b.movingInterval(ConfigValues.duration(MOVING_INTERVAL, v)));
        apply(sorted, PARKED_INTERVAL, v -> b.parkedInterval(ConfigValues.duration(PARKED_INTERVAL, v)));
        apply(sorted, MOVING_SPEED, v -> b.movingSpeedKmh(ConfigValues.decimal(MOVING_SPEED, v)));
        apply(sorted, SESSION_EXPIRY, v -> b.sessionExpiry(ConfigValues.duration(SESSION_EXPIRY, v)));
        apply(sorted, JOURNAL_MAX_BYTES, v -> b.journalMaxBytes(ConfigValues.size(JOURNAL_MAX_BYTES, v)));
        apply(sorted, JOURNAL_SEGMENT_BYTES, v -> b.journalSegmentBytes(ConfigValues.size(JOURNAL_SEGMENT_BYTES, v)));
        apply(sorted, JOURNAL_FSYNC_INTERVAL, v -> b.journalFsyncInterval(ConfigValues.duration(JOURNAL_FSYNC_INTERVAL, v)));
        apply(sorted, TELEMETRY_BATCH_SIZE, v -> b.telemetryBatchSize(ConfigValues.integer(TELEMETRY_BATCH_SIZE, v)));
        apply(sorted, TELEMETRY_RECEIPT_TIMEOUT, v -> b.receiptTimeout(ConfigValues.duration(TELEMETRY_RECEIPT_TIMEOUT, v)));
        apply(sorted, OBD_PIDS, v -> b.obdPids(parsePids(v)));
        apply(sorted, OBD_INTERVAL, v -> b.obdInterval(ConfigValues.duration(OBD_INTERVAL, v)));
        apply(sorted, KEYS_OFFLINE, v -> b.offlineKeys(ConfigValues.bool(KEYS_OFFLINE, v)));
        apply(sorted, KEYS_TIME_PERSIST, v -> b.keysTimePersistInterval(ConfigValues.duration(KEYS_TIME_PERSIST, v)));
        if (sorted.containsKey(RECONNECT_INITIAL) || sorted.containsKey(RECONNECT_MAX)) {
            b.reconnectDelays(
                    ConfigValues.duration(RECONNECT_INITIAL, sorted.getOrDefault(RECONNECT_INITIAL, AgentConfig.DEFAULT_RECONNECT_INITIAL.toString())),
                    ConfigValues.duration(RECONNECT_MAX, sorted.getOrDefault(RECONNECT_MAX, AgentConfig.DEFAULT_RECONNECT_MAX.toString())));
        }
        return b.build();
    }

    /** {@code mqtt.tls.*} (the provisioning bundle): files resolved against the config file's folder. */
    private static void applyTls(Map<String, String> values, Path base, AgentConfig.Builder b) {
        String certificate = values.get(MqttTls.CERTIFICATE_KEY);
        String key = values.get(MqttTls.PRIVATE_KEY_KEY);
        String ca = values.get(MqttTls.CA_KEY);
        if (certificate == null && key == null && ca == null) {
            return;
        }
        if (certificate == null || key == null) {
            throw new AgentConfigException((certificate == null ? MqttTls.CERTIFICATE_KEY : MqttTls.PRIVATE_KEY_KEY)
                    + " is required with " + (certificate == null ? MqttTls.PRIVATE_KEY_KEY : MqttTls.CERTIFICATE_KEY));
        }
        b.tls(MqttTls.load(resolve(base, certificate), resolve(base, key), ca == null ? null : resolve(base, ca)));
    }

    private static Path resolve(Path base, String value) {
        Path p = Path.of(value.strip());
        return p.isAbsolute() || base == null ? p : base.resolve(p).normalize();
    }

    private static void apply(Map<String, String> values, String key, Consumer<String> setter) {
        String v = values.get(key);
        if (v != null) {
            setter.accept(v.strip());
        }
    }

    /** Comma-separated {@link ObdPid} names, any case; blank entries are skipped. */
    private static List<ObdPid> parsePids(String v) {
        List<ObdPid> pids = new ArrayList<>();
        for (String entry : v.split(",")) {
            String name = entry.strip();
            if (name.isEmpty()) {
                continue;
            }
            try {
                pids.add(ObdPid.valueOf(name.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new AgentConfigException(OBD_PIDS + ": unknown PID '" + name + "' (known: "
                        + String.join(", ", Arrays.stream(ObdPid.values()).map(Enum::name).toList()) + ")");
            }
        }
        return pids;
    }
}
