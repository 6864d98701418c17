package io.latchkey.agent.config;

import io.latchkey.agent.AgentConfigException;
import io.latchkey.hal.assembly.HardwareConfig;
import io.latchkey.agent.journal.JournalSettings;
import io.latchkey.agent.mqtt.BrokerEndpoint;
import io.latchkey.agent.mqtt.MqttTls;
import io.latchkey.hal.can.obd.ObdPid;
import io.latchkey.protocol.Keys;
import io.latchkey.protocol.ProtocolException;
import io.latchkey.protocol.Topic;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one agent needs to run, checked once at start-up. Built with {@link #builder()}, which
 * fills defaults and fails with an {@link AgentConfigException} naming the first missing or bad key
 * (the key names are those of the config file, see {@link AgentConfigLoader}).
 */
public final class AgentConfig {
    public static final Duration DEFAULT_MOVING_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_PARKED_INTERVAL = Duration.ofSeconds(60);
    public static final Duration DEFAULT_COMMAND_SKEW = Duration.ofSeconds(30);
    public static final Duration DEFAULT_FEEDBACK_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_RECONNECT_INITIAL = Duration.ofSeconds(1);
    public static final Duration DEFAULT_RECONNECT_MAX = Duration.ofSeconds(60);
    public static final Duration DEFAULT_SESSION_EXPIRY = Duration.ofHours(24);
    /** One OBD-II request every 100 ms: gentle on any ECU. */
    public static final Duration DEFAULT_OBD_INTERVAL = Duration.ofMillis(100);
    /** The car's time is persisted as a lower bound this often (docs/offline-keys.md §7). */
    public static final Duration DEFAULT_KEYS_TIME_PERSIST = Duration.ofMinutes(1);

    private final String tenant;
    private final String deviceId;
    private final URI mqttUrl;
    private final Map<String, PublicKey> commandKeys;
    /** Pinned update keys (docs/ota.md §2); none: over-the-air updates are off. */
    private final Map<String, PublicKey> updateKeys;
    private final io.latchkey.agent.ota.OtaSettings ota;
    /** Certificate renewal and key sets (docs/device-identity.md): pinned key-set keys, when to renew, with a new key or not. */
    private final Map<String, PublicKey> keySetKeys;
    private final double renewAt;
    private final boolean renewWithNewKey;
    private final java.net.URI recoveryUrl;
    private final List<java.security.KeyPair> earlierDeviceKeys;
    private final Duration movingInterval;
    private final Duration parkedInterval;
    private final double movingSpeedKmh;
    private final Duration commandSkew;
    private final Duration feedbackTimeout;
    private final int commandHistorySize;
    private final Path dataDir;
    private final MqttTls tls;
    private final java.security.PrivateKey deviceKey;
    private final Duration reconnectInitialDelay;
    private final Duration reconnectMaxDelay;
    private final Duration sessionExpiry;
    private final io.latchkey.agent.mqtt.MqttClientKind mqttClient;
    private final Duration receiptTimeout;
    private final JournalSettings journal;
    private final HardwareConfig hardware;
    private final io.latchkey.agent.power.PowerSettings power;
    private final List<ObdPid> obdPids;
    private final Duration obdInterval;
    private final boolean offlineKeys;
    private final Duration keysTimePersistInterval;

    private AgentConfig(Builder b) {
        this.tenant = b.tenant;
        this.deviceId = b.deviceId;
        this.mqttUrl = b.mqttUrl;
        this.commandKeys = Map.copyOf(b.commandKeys);
        this.updateKeys = Map.copyOf(b.updateKeys);
        this.ota = b.ota;
        this.keySetKeys = Map.copyOf(b.keySetKeys);
        this.renewAt = b.renewAt;
        this.renewWithNewKey = b.renewWithNewKey;
        this.recoveryUrl = b.recoveryUrl;
        this.earlierDeviceKeys = List.copyOf(b.earlierDeviceKeys);
        this.movingInterval = b.movingInterval;
        this.parkedInterval = b.parkedInterval;
        this.movingSpeedKmh = b.movingSpeedKmh;
        this.commandSkew = b.commandSkew;
        this.feedbackTimeout = b.feedbackTimeout;
        this.commandHistorySize = b.commandHistorySize;
        this.dataDir = b.dataDir;
        this.tls = b.tls;
        this.deviceKey = b.deviceKey;
        this.reconnectInitialDelay = b.reconnectInitialDelay;
        this.reconnectMaxDelay = b.reconnectMaxDelay;
        this.sessionExpiry = b.sessionExpiry;
        this.mqttClient = b.mqttClient;
        this.receiptTimeout = b.receiptTimeout;
        this.journal = new JournalSettings(b.journalMaxBytes, b.journalSegmentBytes, b.journalFsyncInterval,
                b.telemetryBatchSize);
        this.hardware = b.hardware;
        this.power = b.power;
        this.obdPids = List.copyOf(b.obdPids);
        this.obdInterval = b.obdInterval;
        this.offlineKeys = b.offlineKeys;
        this.keysTimePersistInterval = b.keysTimePersistInterval;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String tenant() {
        return tenant;
    }

    public String deviceId() {
        return deviceId;
    }

    /** {@code tcp://host:port} or {@code ssl://host:port}. */
    public URI mqttUrl() {
        return mqttUrl;
    }

    public String mqttHost() {
        return mqttUrl.getHost();
    }

    public int mqttPort() {
        if (mqttUrl.getPort() > 0) {
            return mqttUrl.getPort();
        }
        return usesTls() ? 8883 : 1883;
    }

    /**
     * What the broker connection needs of this config.
     *
     * @param clock  stamps the connect tokens (the agent's clock)
     * @param random their nonces
     */
    public BrokerEndpoint brokerEndpoint(java.time.Clock clock, java.util.random.RandomGenerator random) {
        return new BrokerEndpoint(tenant(), deviceId(), mqttHost(), mqttPort(), usesTls(), tls(), sessionExpiry(),
                new io.latchkey.agent.mqtt.ConnectCredentials(tenant(), deviceId(), deviceSigner(), clock, random));
    }

    /**
     * The device's own EC P-256 key (certified by its certificate): signs its answers and, without mutual TLS,
     * its connect tokens.
     */
    public java.security.PrivateKey deviceKey() {
        return deviceKey;
    }

    /**
     * A signer over {@link #deviceKey()}, the key parsed once.
     *
     * @throws AgentConfigException without a device key: an agent cannot run without one (its answers would
     *                              be refused), so building an agent stops here, naming the key
     */
    public io.latchkey.protocol.device.DeviceSigner deviceSigner() {
        if (deviceKey == null) {
            throw new AgentConfigException(MqttTls.PRIVATE_KEY_KEY + " is required (with " + MqttTls.CERTIFICATE_KEY
                    + "): the device key signs the agent's answers and proves its identity to the broker");
        }
        return new io.latchkey.protocol.device.DeviceSigner(deviceKey);
    }

    public boolean usesTls() {
        return "ssl".equals(mqttUrl.getScheme());
    }

    /** Pinned key-set signing keys by key id ({@code keyset.keys.<keyId>}): they verify the first signed key set. */
    public Map<String, PublicKey> keySetKeys() {
        return keySetKeys;
    }

    /** {@code identity.renew-at}: the fraction of the certificate's lifetime after which the device renews it (default 0.66). */
    public double renewAt() {
        return renewAt;
    }

    /** {@code identity.renew-new-key}: renew with a key made on the device (default true), else with the current key. */
    public boolean renewWithNewKey() {
        return renewWithNewKey;
    }

    /**
     * {@code identity.recovery-url}: the backend's base URL, where a certificate that expired while the car was offline
     * is renewed ({@code POST /t/{tenant}/devices/{deviceId}/renewal}); null: no recovery by the agent itself.
     */
    public java.net.URI recoveryUrl() {
        return recoveryUrl;
    }

    /**
     * The device's keys before its certificate was renewed with a new key (the provisioned one, earlier renewals),
     * newest first: offline-key credentials issued before the renewal name one of them, and the car answers those phones
     * with the key their credential names (docs/offline-keys.md, "A renewed device key"). Empty when never renewed.
     */
    public List<java.security.KeyPair> earlierDeviceKeys() {
        return earlierDeviceKeys;
    }

    /** Pinned tenant command keys by key id. */
    public Map<String, PublicKey> commandKeys() {
        return commandKeys;
    }

    /** The runtime configuration schema this agent's configuration follows; a release needing a newer one is refused. */
    public static final int CONFIG_SCHEMA = 1;

    /** Pinned update keys by key id (Ed25519); empty: over-the-air updates are off. */
    public Map<String, PublicKey> updateKeys() {
        return updateKeys;
    }

    /** The {@code ota.*} settings (window, self-test time, download budget and retries). */
    public io.latchkey.agent.ota.OtaSettings ota() {
        return ota;
    }

    public Duration movingInterval() {
        return movingInterval;
    }

    public Duration parkedInterval() {
        return parkedInterval;
    }

    /** Above this speed the car counts as moving (faster telemetry, no immobilising). */
    public double movingSpeedKmh() {
        return movingSpeedKmh;
    }

    public Duration commandSkew() {
        return commandSkew;
    }

    /** How long a LOCK or UNLOCK waits for the feedback to confirm before it is reported FAILED. */
    public Duration feedbackTimeout() {
        return feedbackTimeout;
    }

    /** How many command results are remembered for answering repeated ids. */
    public int commandHistorySize() {
        return commandHistorySize;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The device certificate, key and broker CA for mutual TLS; null without ({@code tcp://}, or server-only TLS). */
    public MqttTls tls() {
        return tls;
    }

    public Duration reconnectInitialDelay() {
        return reconnectInitialDelay;
    }

    public Duration reconnectMaxDelay() {
        return reconnectMaxDelay;
    }

    /** How long the broker keeps the session (and queued commands) while the car is offline. */
    public Duration sessionExpiry() {
        return sessionExpiry;
    }

    /** The MQTT client library of the broker connection ({@code mqtt.client}). */
    public io.latchkey.agent.mqtt.MqttClientKind mqttClient() {
        return mqttClient;
    }

    /** How long a sent telemetry batch waits for the cloud's receipt before it is sent again. */
    public Duration receiptTimeout() {
        return receiptTimeout;
    }

    /** Size bound, segment size, group-commit interval and batch size of the telemetry journal. */
    public JournalSettings journal() {
        return journal;
    }

    /** The {@code power.*} keys: the power states' thresholds and delays (defaults if none). */
    public io.latchkey.agent.power.PowerSettings power() {
        return power;
    }

    /** The {@code hardware.*} keys; empty when the config names no hardware (simulator, tests). */
    public Optional<HardwareConfig> hardware() {
        return Optional.ofNullable(hardware);
    }

    /** The OBD-II mode 01 PIDs polled on the CAN bus, in turn; empty (the default) for no polling. */
    public List<ObdPid> obdPids() {
        return obdPids;
    }

    /** Time between two OBD-II requests (each asks for the next PID in turn). */
    /** Whether the car takes offline keys ({@code keys.offline}, default true): BLE and QR presentations, if fitted. */
    public boolean offlineKeys() {
        return offlineKeys;
    }

    /** How often the car's time is persisted as the next run's lower bound ({@code keys.time-persist-interval}, 1 min). */
    public Duration keysTimePersistInterval() {
        return keysTimePersistInterval;
    }

    public Duration obdInterval() {
        return obdInterval;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.tenant = tenant;
        b.deviceId = deviceId;
        b.mqttUrl = mqttUrl;
        b.commandKeys.putAll(commandKeys);
        b.updateKeys.putAll(updateKeys);
        b.ota = ota;
        b.keySetKeys.putAll(keySetKeys);
        b.renewAt = renewAt;
        b.renewWithNewKey = renewWithNewKey;
        b.recoveryUrl = recoveryUrl;
        b.earlierDeviceKeys.addAll(earlierDeviceKeys);
        b.movingInterval = movingInterval;
        b.parkedInterval = parkedInterval;
        b.movingSpeedKmh = movingSpeedKmh;
        b.commandSkew = commandSkew;
        b.feedbackTimeout = feedbackTimeout;
        b.commandHistorySize = commandHistorySize;
        b.dataDir = dataDir;
        b.tls = tls;
        b.deviceKey = deviceKey;
        b.reconnectInitialDelay = reconnectInitialDelay;
        b.reconnectMaxDelay = reconnectMaxDelay;
        b.sessionExpiry = sessionExpiry;
        b.mqttClient = mqttClient;
        b.receiptTimeout = receiptTimeout;
        b.journalMaxBytes = journal.maxBytes();
        b.journalSegmentBytes = journal.segmentBytes();
        b.journalFsyncInterval = journal.fsyncInterval();
        b.telemetryBatchSize = journal.batchSize();
        b.hardware = hardware;
        b.power = power;
        b.obdPids = obdPids;
        b.obdInterval = obdInterval;
        b.offlineKeys = offlineKeys;
        b.keysTimePersistInterval = keysTimePersistInterval;
        return b;
    }

    @Override
    public String toString() {
        return "AgentConfig{tenant=" + tenant + ", deviceId=" + deviceId + ", mqttUrl=" + mqttUrl
                + ", commandKeys=" + commandKeys.keySet() + ", dataDir=" + dataDir + "}";
    }

    /** Fills defaults; {@link #build()} checks everything and names the offending key. */
    public static final class Builder {
        private String tenant;
        private String deviceId;
        private URI mqttUrl;
        private final Map<String, PublicKey> commandKeys = new LinkedHashMap<>();
        private final Map<String, PublicKey> updateKeys = new LinkedHashMap<>();
        private io.latchkey.agent.ota.OtaSettings ota = io.latchkey.agent.ota.OtaSettings.defaults();
        private final Map<String, PublicKey> keySetKeys = new LinkedHashMap<>();
        private double renewAt = 0.66;
        private boolean renewWithNewKey = true;
        private java.net.URI recoveryUrl;
        private final List<java.security.KeyPair> earlierDeviceKeys = new java.util.ArrayList<>();
        private Duration movingInterval = DEFAULT_MOVING_INTERVAL;
        private Duration parkedInterval = DEFAULT_PARKED_INTERVAL;
        private double movingSpeedKmh = 3.0;
        private Duration commandSkew = DEFAULT_COMMAND_SKEW;
        private Duration feedbackTimeout = DEFAULT_FEEDBACK_TIMEOUT;
        private int commandHistorySize = 10_000;
        private Path dataDir;
        private MqttTls tls;
        private java.security.PrivateKey deviceKey;
        private Duration reconnectInitialDelay = DEFAULT_RECONNECT_INITIAL;
        private Duration reconnectMaxDelay = DEFAULT_RECONNECT_MAX;
        private Duration sessionExpiry = DEFAULT_SESSION_EXPIRY;
        private io.latchkey.agent.mqtt.MqttClientKind mqttClient = io.latchkey.agent.mqtt.MqttClientKind.DEFAULT;
        private Duration receiptTimeout = io.latchkey.agent.journal.JournalTelemetrySink.DEFAULT_RECEIPT_TIMEOUT;
        private long journalMaxBytes = JournalSettings.DEFAULT_MAX_BYTES;
        private long journalSegmentBytes = JournalSettings.DEFAULT_SEGMENT_BYTES;
        private Duration journalFsyncInterval = JournalSettings.DEFAULT_FSYNC_INTERVAL;
        private int telemetryBatchSize = JournalSettings.DEFAULT_BATCH_SIZE;
        private HardwareConfig hardware;
        private io.latchkey.agent.power.PowerSettings power = io.latchkey.agent.power.PowerSettings.DEFAULTS;
        private List<ObdPid> obdPids = List.of();
        private Duration obdInterval = DEFAULT_OBD_INTERVAL;
        private boolean offlineKeys = true;
        private Duration keysTimePersistInterval = DEFAULT_KEYS_TIME_PERSIST;

        private Builder() {
        }

        public Builder tenant(String tenant) {
            if (!Topic.isValidTenantId(tenant)) {
                throw new AgentConfigException(AgentConfigLoader.TENANT + ": expected a tenant id like 'acme', got '" + tenant + "'");
            }
            this.tenant = tenant;
            return this;
        }

        public Builder deviceId(String deviceId) {
            if (!Topic.isValidDeviceId(deviceId)) {
                throw new AgentConfigException(AgentConfigLoader.DEVICE_ID
                        + ": expected letters, digits, '-' or '_' (at most 64), got '" + deviceId + "'");
            }
            this.deviceId = deviceId;
            return this;
        }

        public Builder mqttUrl(String url) {
            String key = AgentConfigLoader.MQTT_URL;
            URI uri;
            try {
                uri = new URI(Objects.requireNonNull(url, key).strip());
            } catch (URISyntaxException | NullPointerException e) {
                throw new AgentConfigException(key + ": expected tcp://host:port or ssl://host:port, got '" + url + "'");
            }
            if (!"tcp".equals(uri.getScheme()) && !"ssl".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new AgentConfigException(key + ": expected tcp://host:port or ssl://host:port, got '" + url + "'");
            }
            this.mqttUrl = uri;
            return this;
        }

        /** Pins a tenant command key: {@code publicKeyBase64} is base64 X.509 SubjectPublicKeyInfo (Ed25519). */
        public Builder commandKey(String keyId, String publicKeyBase64) {
            String key = AgentConfigLoader.COMMAND_KEYS + "." + keyId;
            if (keyId == null || keyId.isBlank()) {
                throw new AgentConfigException(AgentConfigLoader.COMMAND_KEYS + ": key id must not be blank");
            }
            try {
                commandKeys.put(keyId, Keys.decodeCommandPublicKey(publicKeyBase64));
            } catch (ProtocolException e) {
                throw new AgentConfigException(key + ": expected a base64 Ed25519 public key");
            }
            return this;
        }

        /** Pins an update key ({@code update.keys.<keyId>}): base64 X.509 SubjectPublicKeyInfo (Ed25519), as command keys. */
        public Builder updateKey(String keyId, String publicKeyBase64) {
            if (keyId == null || keyId.isBlank()) {
                throw new AgentConfigException(AgentConfigLoader.UPDATE_KEYS + ": key id must not be blank");
            }
            try {
                updateKeys.put(keyId, Keys.decodeCommandPublicKey(publicKeyBase64));
            } catch (ProtocolException e) {
                throw new AgentConfigException(AgentConfigLoader.UPDATE_KEYS + "." + keyId + ": expected a base64 Ed25519 public key");
            }
            return this;
        }

        /** The command keys are replaced (by those of the newest signed key set the device holds). */
        public Builder replaceCommandKeys(Map<String, PublicKey> keys) {
            commandKeys.clear();
            keys.forEach(this::commandKey);
            return this;
        }

        public Builder keySetKey(String keyId, String publicKeyBase64) {
            try {
                keySetKeys.put(Objects.requireNonNull(keyId, "keyId"), Keys.decodeCommandPublicKey(publicKeyBase64));
            } catch (io.latchkey.protocol.ProtocolException e) {
                throw new AgentConfigException(AgentConfigLoader.KEYSET_KEYS + "." + keyId + ": " + e.getMessage(), e);
            }
            return this;
        }

        public Builder updateKey(String keyId, PublicKey key) {
            updateKeys.put(Objects.requireNonNull(keyId, "keyId"), Objects.requireNonNull(key, "key"));
            return this;
        }

        public Builder ota(io.latchkey.agent.ota.OtaSettings settings) {
            this.ota = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** The device's keys before its renewals, newest first ({@link AgentConfig#earlierDeviceKeys()}); replaces any set. */
        public Builder earlierDeviceKeys(List<java.security.KeyPair> keys) {
            earlierDeviceKeys.clear();
            keys.forEach(k -> earlierDeviceKeys.add(Objects.requireNonNull(k, "key")));
            return this;
        }

        public Builder recoveryUrl(String url) {
            java.net.URI uri;
            try {
                uri = java.net.URI.create(url.strip().replaceAll("/+$", ""));
            } catch (IllegalArgumentException e) {
                throw new AgentConfigException(AgentConfigLoader.RECOVERY_URL + ": not a URL: " + url);
            }
            if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                throw new AgentConfigException(AgentConfigLoader.RECOVERY_URL + ": an http(s) URL of the backend, got " + url);
            }
            this.recoveryUrl = uri;
            return this;
        }

        public Builder renewal(double at, boolean withNewKey) {
            if (!(at > 0 && at < 1)) {
                throw new AgentConfigException(AgentConfigLoader.RENEW_AT + ": a fraction of the certificate's lifetime between 0 and 1, got " + at);
            }
            this.renewAt = at;
            this.renewWithNewKey = withNewKey;
            return this;
        }

        public Builder commandKey(String keyId, PublicKey key) {
            commandKeys.put(Objects.requireNonNull(keyId, "keyId"), Objects.requireNonNull(key, "key"));
            return this;
        }

        public Builder movingInterval(Duration d) {
            this.movingInterval = positive(AgentConfigLoader.MOVING_INTERVAL, d);
            return this;
        }

        public Builder parkedInterval(Duration d) {
            this.parkedInterval = positive(AgentConfigLoader.PARKED_INTERVAL, d);
            return this;
        }

        public Builder movingSpeedKmh(double kmh) {
            if (!(kmh >= 0) || Double.isInfinite(kmh)) {
                throw new AgentConfigException(AgentConfigLoader.MOVING_SPEED + ": expected a speed in km/h >= 0, got " + kmh);
            }
            this.movingSpeedKmh = kmh;
            return this;
        }

        public Builder commandSkew(Duration d) {
            this.commandSkew = notNegative(AgentConfigLoader.COMMAND_SKEW, d);
            return this;
        }

        public Builder feedbackTimeout(Duration d) {
            this.feedbackTimeout = positive(AgentConfigLoader.FEEDBACK_TIMEOUT, d);
            return this;
        }

        public Builder commandHistorySize(int size) {
            if (size < 1) {
                throw new AgentConfigException(AgentConfigLoader.HISTORY_SIZE + ": expected at least 1, got " + size);
            }
            this.commandHistorySize = size;
            return this;
        }

        /** Mutual TLS with the device's certificate (the provisioning bundle's files); only with an {@code ssl://} URL. */
        /**
         * The device's key and certificate from provisioning: with an {@code ssl://} URL for mutual TLS; with a
         * {@code tcp://} URL (the broker's plain listener) only the key is used, to sign connect tokens.
         */
        public Builder tls(MqttTls tls) {
            this.tls = tls;
            this.deviceKey = tls == null ? null : tls.privateKey();
            return this;
        }

        /** The device key alone, without a certificate (tests with a fake connection; the plain listener). */
        public Builder deviceKey(java.security.PrivateKey key) {
            this.deviceKey = key;
            return this;
        }

        public Builder dataDir(Path dir) {
            this.dataDir = Objects.requireNonNull(dir, AgentConfigLoader.DATA_DIR);
            return this;
        }

        public Builder reconnectDelays(Duration initial, Duration max) {
            Duration i = positive(AgentConfigLoader.RECONNECT_INITIAL, initial);
            Duration m = positive(AgentConfigLoader.RECONNECT_MAX, max);
            if (m.compareTo(i) < 0) {
                throw new AgentConfigException(AgentConfigLoader.RECONNECT_MAX + ": must not be shorter than "
                        + AgentConfigLoader.RECONNECT_INITIAL + " (" + i + "), got " + m);
            }
            this.reconnectInitialDelay = i;
            this.reconnectMaxDelay = m;
            return this;
        }

        public Builder sessionExpiry(Duration d) {
            this.sessionExpiry = notNegative(AgentConfigLoader.SESSION_EXPIRY, d);
            return this;
        }

        public Builder mqttClient(io.latchkey.agent.mqtt.MqttClientKind client) {
            this.mqttClient = java.util.Objects.requireNonNull(client, AgentConfigLoader.MQTT_CLIENT);
            return this;
        }

        public Builder power(io.latchkey.agent.power.PowerSettings power) {
            this.power = java.util.Objects.requireNonNull(power, "power");
            return this;
        }

        public Builder hardware(HardwareConfig hardware) {
            this.hardware = hardware;
            return this;
        }

        /** The PIDs to poll over OBD-II, each once per round; needs a CAN bus. Empty for none. */
        public Builder obdPids(List<ObdPid> pids) {
            EnumSet<ObdPid> seen = EnumSet.noneOf(ObdPid.class);
            for (ObdPid pid : pids) {
                if (!seen.add(pid)) {
                    throw new AgentConfigException(AgentConfigLoader.OBD_PIDS + ": " + pid + " is listed twice");
                }
            }
            this.obdPids = List.copyOf(pids);
            return this;
        }

        public Builder offlineKeys(boolean enabled) {
            this.offlineKeys = enabled;
            return this;
        }

        public Builder keysTimePersistInterval(Duration d) {
            this.keysTimePersistInterval = positive(AgentConfigLoader.KEYS_TIME_PERSIST, d);
            return this;
        }

        public Builder obdInterval(Duration d) {
            this.obdInterval = positive(AgentConfigLoader.OBD_INTERVAL, d);
            return this;
        }

        /** Total bytes of journal segments before the oldest are evicted; at least two segments. */
        public Builder journalMaxBytes(long bytes) {
            this.journalMaxBytes = bytes;
            return this;
        }

        public Builder journalSegmentBytes(long bytes) {
            if (bytes < JournalSettings.MIN_SEGMENT_BYTES) {
                throw new AgentConfigException(AgentConfigLoader.JOURNAL_SEGMENT_BYTES + ": expected at least "
                        + JournalSettings.MIN_SEGMENT_BYTES + " bytes, got " + bytes);
            }
            this.journalSegmentBytes = bytes;
            return this;
        }

        /** Group commit: how long an appended record may wait for its fsync. */
        public Builder journalFsyncInterval(Duration d) {
            this.journalFsyncInterval = positive(AgentConfigLoader.JOURNAL_FSYNC_INTERVAL, d);
            return this;
        }

        /** How long a sent telemetry batch waits for the cloud's receipt before it is sent again. */
        public Builder receiptTimeout(Duration d) {
            this.receiptTimeout = positive(AgentConfigLoader.TELEMETRY_RECEIPT_TIMEOUT, d);
            return this;
        }

        public Builder telemetryBatchSize(int records) {
            if (records < 1 || records > 10_000) {
                throw new AgentConfigException(AgentConfigLoader.TELEMETRY_BATCH_SIZE + ": expected 1..10000, got " + records);
            }
            this.telemetryBatchSize = records;
            return this;
        }

        public AgentConfig build() {
            require(tenant, AgentConfigLoader.TENANT);
            require(deviceId, AgentConfigLoader.DEVICE_ID);
            require(mqttUrl, AgentConfigLoader.MQTT_URL);
            require(dataDir, AgentConfigLoader.DATA_DIR);
            if (deviceKey != null) {
                try {
                    new io.latchkey.protocol.device.DeviceSigner(deviceKey);
                } catch (io.latchkey.protocol.ProtocolException e) {
                    throw new AgentConfigException(MqttTls.PRIVATE_KEY_KEY + ": " + e.getMessage(), e);
                }
            }
            if (commandKeys.isEmpty()) {
                throw new AgentConfigException(AgentConfigLoader.COMMAND_KEYS
                        + ": at least one pinned command key is required (" + AgentConfigLoader.COMMAND_KEYS + ".<keyId>=<base64>)");
            }
            if (parkedInterval.compareTo(movingInterval) < 0) {
                throw new AgentConfigException(AgentConfigLoader.PARKED_INTERVAL + ": must not be shorter than "
                        + AgentConfigLoader.MOVING_INTERVAL + " (" + movingInterval + "), got " + parkedInterval);
            }
            if (journalMaxBytes < 2 * journalSegmentBytes) {
                throw new AgentConfigException(AgentConfigLoader.JOURNAL_MAX_BYTES + ": must hold at least two segments of "
                        + AgentConfigLoader.JOURNAL_SEGMENT_BYTES + " (" + 2 * journalSegmentBytes + " bytes), got " + journalMaxBytes);
            }
            if (!obdPids.isEmpty() && hardware != null && hardware.can() == HardwareConfig.Can.NONE) {
                throw new AgentConfigException(AgentConfigLoader.OBD_PIDS + ": OBD-II polling needs a CAN bus, but "
                        + "hardware.can is none (set hardware.can, or leave " + AgentConfigLoader.OBD_PIDS + " empty)");
            }
            return new AgentConfig(this);
        }

        private static void require(Object value, String key) {
            if (value == null) {
                throw new AgentConfigException(key + " is required");
            }
        }

        private static Duration positive(String key, Duration d) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new AgentConfigException(key + ": expected a positive duration, got " + d);
            }
            return d;
        }

        private static Duration notNegative(String key, Duration d) {
            if (d == null || d.isNegative()) {
                throw new AgentConfigException(key + ": expected a duration >= 0, got " + d);
            }
            return d;
        }
    }
}
