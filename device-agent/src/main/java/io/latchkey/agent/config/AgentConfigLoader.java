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
    public static final String MQTT_CLIENT = io.latchkey.agent.mqtt.MqttClientKind.KEY;
    public static final String JOURNAL_MAX_BYTES = "journal.max-bytes";
    public static final String JOURNAL_SEGMENT_BYTES = "journal.segment-bytes";
    public static final String JOURNAL_FSYNC_INTERVAL = "journal.fsync-interval";
    public static final String TELEMETRY_BATCH_SIZE = "telemetry.batch-size";
    public static final String TELEMETRY_RECEIPT_TIMEOUT = "telemetry.receipt-timeout";
    public static final String OBD_PIDS = "can.obd.pids";
    public static final String OBD_INTERVAL = "can.obd.interval";
    public static final String KEYS_OFFLINE = "keys.offline";
    public static final String KEYS_TIME_PERSIST = "keys.time-persist-interval";
    /** {@code update.keys.<keyId>=<base64>}: the update keys pinned at provisioning (docs/ota.md §2). */
    public static final String UPDATE_KEYS = "update.keys";
    public static final String OTA_WINDOW = "ota.window";
    public static final String OTA_WINDOW_ZONE = "ota.window-zone";
    public static final String OTA_SELFTEST_TIMEOUT = "ota.selftest-timeout";
    public static final String OTA_BYTES_PER_DAY = "ota.bytes-per-day";
    public static final String OTA_ATTEMPTS = "ota.download-attempts";
    public static final String OTA_RETRY_INITIAL = "ota.retry-initial";
    public static final String OTA_RETRY_MAX = "ota.retry-max";
    public static final String OTA_RECHECK = "ota.recheck";
    private static final Set<String> OTA_KEYS = Set.of(OTA_WINDOW, OTA_WINDOW_ZONE, OTA_SELFTEST_TIMEOUT, OTA_BYTES_PER_DAY, OTA_ATTEMPTS,
            OTA_RETRY_INITIAL, OTA_RETRY_MAX, OTA_RECHECK);
    /** Key-set signing keys pinned at provisioning (docs/device-identity.md, "Key sets"). */
    public static final String KEYSET_KEYS = "keyset.keys";
    public static final String RENEW_AT = "identity.renew-at";
    public static final String RENEW_NEW_KEY = "identity.renew-new-key";
    public static final String RECOVERY_URL = "identity.recovery-url";

    private static final Set<String> KNOWN = Set.of(TENANT, DEVICE_ID, MQTT_URL, MqttTls.CERTIFICATE_KEY, MqttTls.PRIVATE_KEY_KEY, MqttTls.CA_KEY,
            COMMAND_SKEW, FEEDBACK_TIMEOUT,
            HISTORY_SIZE, MOVING_INTERVAL, PARKED_INTERVAL, MOVING_SPEED, DATA_DIR, RECONNECT_INITIAL, RECONNECT_MAX,
            SESSION_EXPIRY, MQTT_CLIENT, JOURNAL_MAX_BYTES, JOURNAL_SEGMENT_BYTES, JOURNAL_FSYNC_INTERVAL, TELEMETRY_BATCH_SIZE,
            TELEMETRY_RECEIPT_TIMEOUT, OBD_PIDS, OBD_INTERVAL,
            KEYS_OFFLINE, KEYS_TIME_PERSIST, RENEW_AT, RENEW_NEW_KEY, RECOVERY_URL);

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
            } else if (key.startsWith(UPDATE_KEYS + ".")) {
                b.updateKey(key.substring(UPDATE_KEYS.length() + 1), value);
            } else if (key.startsWith(KEYSET_KEYS + ".")) {
                b.keySetKey(key.substring(KEYSET_KEYS.length() + 1), value);
            } else if (!KNOWN.contains(key) && !OTA_KEYS.contains(key)) {
                TreeSet<String> known = new TreeSet<>(KNOWN);
                known.addAll(OTA_KEYS);
                throw new AgentConfigException(key + ": unknown key (known: " + String.join(", ", known) + ", " + COMMAND_KEYS
                        + ".<keyId>, " + UPDATE_KEYS + ".<keyId>, " + KEYSET_KEYS + ".<keyId>, hardware.*, power.*)");
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
        apply(sorted, MQTT_CLIENT, v -> b.mqttClient(io.latchkey.agent.mqtt.MqttClientKind.parse(v)));
        apply(sorted, JOURNAL_MAX_BYTES, v -> b.journalMaxBytes(ConfigValues.size(JOURNAL_MAX_BYTES, v)));
        apply(sorted, JOURNAL_SEGMENT_BYTES, v -> b.journalSegmentBytes(ConfigValues.size(JOURNAL_SEGMENT_BYTES, v)));
        apply(sorted, JOURNAL_FSYNC_INTERVAL, v -> b.journalFsyncInterval(ConfigValues.duration(JOURNAL_FSYNC_INTERVAL, v)));
        apply(sorted, TELEMETRY_BATCH_SIZE, v -> b.telemetryBatchSize(ConfigValues.integer(TELEMETRY_BATCH_SIZE, v)));
        apply(sorted, TELEMETRY_RECEIPT_TIMEOUT, v -> b.receiptTimeout(ConfigValues.duration(TELEMETRY_RECEIPT_TIMEOUT, v)));
        apply(sorted, OBD_PIDS, v -> b.obdPids(parsePids(v)));
        apply(sorted, OBD_INTERVAL, v -> b.obdInterval(ConfigValues.duration(OBD_INTERVAL, v)));
        apply(sorted, KEYS_OFFLINE, v -> b.offlineKeys(ConfigValues.bool(KEYS_OFFLINE, v)));
        apply(sorted, KEYS_TIME_PERSIST, v -> b.keysTimePersistInterval(ConfigValues.duration(KEYS_TIME_PERSIST, v)));
        b.ota(ota(sorted));
        apply(sorted, RECOVERY_URL, b::recoveryUrl);
        if (sorted.containsKey(RENEW_AT) || sorted.containsKey(RENEW_NEW_KEY)) {
            b.renewal(sorted.containsKey(RENEW_AT) ? ConfigValues.decimal(RENEW_AT, sorted.get(RENEW_AT).strip()) : 0.66,
                    !sorted.containsKey(RENEW_NEW_KEY) || ConfigValues.bool(RENEW_NEW_KEY, sorted.get(RENEW_NEW_KEY).strip()));
        }
        if (sorted.containsKey(RECONNECT_INITIAL) || sorted.containsKey(RECONNECT_MAX)) {
            b.reconnectDelays(
                    ConfigValues.duration(RECONNECT_INITIAL, sorted.getOrDefault(RECONNECT_INITIAL, AgentConfig.DEFAULT_RECONNECT_INITIAL.toString())),
                    ConfigValues.duration(RECONNECT_MAX, sorted.getOrDefault(RECONNECT_MAX, AgentConfig.DEFAULT_RECONNECT_MAX.toString())));
        }
        return b.build();
    }

    /** The {@code ota.*} settings over their defaults. */
    private static io.latchkey.agent.ota.OtaSettings ota(Map<String, String> v) {
        io.latchkey.agent.ota.OtaSettings d = io.latchkey.agent.ota.OtaSettings.defaults();
        java.time.LocalTime[] window = {d.windowStart(), d.windowEnd()};
        if (v.containsKey(OTA_WINDOW)) {
            try {
                window = io.latchkey.agent.ota.OtaSettings.window(v.get(OTA_WINDOW));
            } catch (IllegalArgumentException e) {
                throw new AgentConfigException(e.getMessage());
            }
        }
        java.time.ZoneId zone = d.zone();
        if (v.containsKey(OTA_WINDOW_ZONE)) {
            try {
                zone = java.time.ZoneId.of(v.get(OTA_WINDOW_ZONE).strip());
            } catch (java.time.DateTimeException e) {
                throw new AgentConfigException(OTA_WINDOW_ZONE + ": not a time zone id (e.g. Europe/Berlin): '" + v.get(OTA_WINDOW_ZONE) + "'");
            }
        }
        return new io.latchkey.agent.ota.OtaSettings(window[0], window[1], zone,
                v.containsKey(OTA_SELFTEST_TIMEOUT) ? ConfigValues.duration(OTA_SELFTEST_TIMEOUT, v.get(OTA_SELFTEST_TIMEOUT)) : d.selfTestTimeout(),
                v.containsKey(OTA_BYTES_PER_DAY) ? ConfigValues.size(OTA_BYTES_PER_DAY, v.get(OTA_BYTES_PER_DAY)) : d.bytesPerDay(),
                v.containsKey(OTA_ATTEMPTS) ? ConfigValues.integer(OTA_ATTEMPTS, v.get(OTA_ATTEMPTS), 1, 100) : d.attempts(),
                v.containsKey(OTA_RETRY_INITIAL) ? ConfigValues.duration(OTA_RETRY_INITIAL, v.get(OTA_RETRY_INITIAL)) : d.retryInitial(),
                v.containsKey(OTA_RETRY_MAX) ? ConfigValues.duration(OTA_RETRY_MAX, v.get(OTA_RETRY_MAX)) : d.retryMax(),
                v.containsKey(OTA_RECHECK) ? ConfigValues.duration(OTA_RECHECK, v.get(OTA_RECHECK)) : d.recheck());
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
