package io.latchkey.cloud.it;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.Keys;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.Topic;
import io.latchkey.protocol.command.Command;
import io.latchkey.protocol.command.CommandAck;
import io.latchkey.protocol.command.CommandOutcome;
import io.latchkey.protocol.command.CommandRejectedException;
import io.latchkey.protocol.command.CommandType;
import io.latchkey.protocol.command.CommandVerifier;
import io.latchkey.protocol.telemetry.DeviceState;
import io.latchkey.protocol.telemetry.ReceiptRejectedException;
import io.latchkey.protocol.telemetry.ReceiptVerifier;
import io.latchkey.protocol.telemetry.TelemetryBatch;
import io.latchkey.protocol.telemetry.TelemetryReceipt;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.net.URI;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in car for the backend's tests, enrolled like a real one (its own key, a certificate from its tenant's
 * device CA) and signing its answers with that key; it connects on the plain listener with a connect token.
 * It verifies each command with the protocol's
 * {@link CommandVerifier} (key, signature, tenant, device, expiry), answers repeats from the first
 * result, and moves a pretend lock. It keeps the receipts that verify as a car does ({@link ReceiptVerifier}:
 * the tenant's command key, this tenant and device) and counts the others. {@link #silent()} makes it swallow commands, like a car out of
 * coverage that still holds its session.
 */
public final class TestDevice implements AutoCloseable {
    private final String tenant;
    private final String deviceId;
    /** Replaced when the car takes a key set ({@link #followKeySets}). */
    private volatile CommandVerifier verifier;
    private final io.latchkey.protocol.command.AckSigner ackSigner;
    private final Mqtt5AsyncClient client;
    private final List<byte[]> received = new CopyOnWriteArrayList<>();
    private volatile ReceiptVerifier receiptVerifier;
    private final Map<String, PublicKey> pinnedCommandKeys;
    private final Clock clock;
    private volatile io.latchkey.protocol.identity.TrustedKeys trusted;
    private final List<String> refusedKeySets = new CopyOnWriteArrayList<>();
    private final Map<String, CommandRejectedException.Reason> refused = new ConcurrentHashMap<>();
    private final List<TelemetryReceipt> receipts = new CopyOnWriteArrayList<>();
    private final List<byte[]> revocationLists = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger unverifiedReceipts = new java.util.concurrent.atomic.AtomicInteger();
    private final Map<String, CommandAck> answered = new ConcurrentHashMap<>();
    private volatile boolean silent;
    private final java.util.concurrent.atomic.AtomicInteger answersToLose = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger executions = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean doorOpen;
    private volatile LockState lock = LockState.LOCKED;
    /** What the pretend car's own checks (END_RENTAL, IMMOBILISE) fail on; empty: they pass. */
    private volatile List<String> failingChecks = List.of();
    /** True: IMMOBILISE is checked against the last telemetry published, as the agent's interlock does. */
    private volatile boolean interlock;
    private volatile TelemetryRecord lastPublished;
    /** Non-null: the lock does not take (LOCK, END_RENTAL) and the car answers FAILED with this reason. */
    private volatile String lockFailure;
    /** What an END_RENTAL whose lock did not take names in {@code failed} (the agent's words); null: nothing. */
    private volatile List<String> lockFailureLines;

    /** Enrols the device through {@code app} (see {@link CloudApp#device}) and connects as it on the plain listener. */
    public TestDevice(CloudApp app, String tenant, String deviceId, Map<String, PublicKey> commandKeys, Clock clock)
            throws Exception {
        this(app.mqttUrl(), app.device(tenant, deviceId), commandKeys, clock);
    }

    public TestDevice(String mqttUrl, DeviceCredentials credentials, Map<String, PublicKey> commandKeys, Clock clock)
            throws Exception {
        this(credentials, commandKeys, clock, plainClient(mqttUrl, credentials, clock));
    }

    /**
     * A stand-in for whoever controls the broker, publishing on the topics of {@code deviceId} (which need not have
     * a certificate): it connects over mutual TLS with a platform service certificate, which may use all of
     * {@code lk/}. Its answers are signed with a key no certificate speaks for.
     */
    public static TestDevice overServiceIdentity(CloudApp app, String tenant, String deviceId, Map<String, PublicKey> commandKeys,
                                                 Clock clock) throws Exception {
        var authorities = app.context().getBean(io.latchkey.cloud.device.DeviceAuthorities.class);
        var service = authorities.platform().issueService("test-" + deviceId, Duration.ofHours(1));
        URI url = URI.create(app.context().getBean(io.latchkey.cloud.mqtt.MqttEndpoint.class).backendUrl());
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("platform-ca", authorities.platform().certificate());
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        Mqtt5AsyncClient client = Mqtt5Client.builder().identifier("test-service-" + deviceId).serverHost(url.getHost())
                .serverPort(url.getPort()).sslConfig().keyManagerFactory(service.tls().keyManagerFactory()).trustManagerFactory(tmf)
                .applySslConfig().buildAsync();
        client.connect().get(15, TimeUnit.SECONDS);
        return new TestDevice(new DeviceCredentials(tenant, deviceId, DeviceCredentials.newKey(), null), commandKeys, clock, client);
    }

    /**
     * A car on an external broker's tenant listener (Mosquitto of {@code broker-export}): mutual TLS with its enrolled
     * certificate ({@link DeviceCredentials#certificatePem()} must be set), trusting {@code brokerCa} for the broker.
     */
    public static TestDevice overMutualTls(String host, int port, java.security.cert.X509Certificate brokerCa,
                                           DeviceCredentials credentials, Map<String, PublicKey> commandKeys, Clock clock)
            throws Exception {
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("broker-ca", brokerCa);
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        var identity = new io.latchkey.cloud.pki.TlsIdentity(credentials.key().getPrivate(),
                io.latchkey.cloud.pki.Pem.certificates(credentials.certificatePem()));
        Mqtt5AsyncClient client = Mqtt5Client.builder().identifier(credentials.tenant() + ":" + credentials.deviceId())
                .serverHost(host).serverPort(port).sslConfig().keyManagerFactory(identity.keyManagerFactory())
                .trustManagerFactory(tmf).applySslConfig().automaticReconnectWithDefaultConfig().buildAsync();
        client.connectWith().cleanStart(false).sessionExpiryInterval(3600).send().get(30, TimeUnit.SECONDS);
        return new TestDevice(credentials, commandKeys, clock, client);
    }

    private static Mqtt5AsyncClient plainClient(String mqttUrl, DeviceCredentials credentials, Clock clock) throws Exception {
        URI uri = URI.create(mqttUrl);
        String clientId = credentials.tenant() + ":" + credentials.deviceId();
        Mqtt5AsyncClient client = Mqtt5Client.builder().identifier(clientId).serverHost(uri.getHost())
                .serverPort(uri.getPort()).buildAsync();
        client.connectWith().simpleAuth().username(clientId).password(credentials.connectPassword(clock.instant())).applySimpleAuth()
                .send().get(10, TimeUnit.SECONDS);
        return client;
    }

    private TestDevice(DeviceCredentials credentials, Map<String, PublicKey> commandKeys, Clock clock, Mqtt5AsyncClient client)
            throws Exception {
        this.tenant = credentials.tenant();
        this.deviceId = credentials.deviceId();
        this.ackSigner = credentials.ackSigner();
        this.pinnedCommandKeys = Map.copyOf(commandKeys);
        this.clock = clock;
        this.verifier = new CommandVerifier(commandKeys, tenant, deviceId, clock, Duration.ofSeconds(30));
        this.receiptVerifier = new ReceiptVerifier(commandKeys, tenant, deviceId);
        this.client = client;
        client.subscribeWith().topicFilter(Topic.of(tenant, deviceId, Channel.CMD).name()).qos(MqttQos.AT_LEAST_ONCE)
                .callback(this::onCommand).send().get(10, TimeUnit.SECONDS);
        client.subscribeWith().topicFilter(Topic.of(tenant, deviceId, Channel.RECEIPT).name()).qos(MqttQos.AT_LEAST_ONCE)
                .callback(m -> onReceipt(m.getPayloadAsBytes()))
                .send().get(10, TimeUnit.SECONDS);
    }

    /**
     * Subscribes to the device's own {@code revocations} channel (docs/offline-keys.md §6), as an agent does: the
     * signed revocation lists the backend publishes, retained, collect in {@link #revocationLists()}.
     */
    public TestDevice subscribeRevocations() throws Exception {
        client.subscribeWith().topicFilter(Topic.of(tenant, deviceId, Channel.REVOCATIONS).name()).qos(MqttQos.AT_LEAST_ONCE)
                .callback(m -> revocationLists.add(m.getPayloadAsBytes()))
                .send().get(10, TimeUnit.SECONDS);
        return this;
    }

    /**
     * Follows the tenant's signed key sets from now on, as an agent does ({@code KeySets}, the protocol's
     * {@link io.latchkey.protocol.identity.TrustedKeys} rule): starting from the command keys this car was made with and
     * {@code keySetKeys} (what provisioning pins as {@code keyset.keys.<kid>}), it subscribes to its own {@code keys}
     * channel and, for each set it takes, verifies commands and receipts with that set's command and issuing keys only.
     * Sets it refuses are kept in {@link #refusedKeySets()}.
     */
    public TestDevice followKeySets(Map<String, PublicKey> keySetKeys) throws Exception {
        trusted = io.latchkey.protocol.identity.TrustedKeys.pinned(tenant, Map.of(
                io.latchkey.protocol.identity.KeySet.Kind.COMMAND, pinnedCommandKeys,
                io.latchkey.protocol.identity.KeySet.Kind.KEYSET, keySetKeys));
        client.subscribeWith().topicFilter(Topic.of(tenant, deviceId, Channel.KEYS).name()).qos(MqttQos.AT_LEAST_ONCE)
                .callback(m -> onKeySet(m.getPayloadAsBytes()))
                .send().get(10, TimeUnit.SECONDS);
        return this;
    }

    private synchronized void onKeySet(byte[] message) {
        try {
            io.latchkey.protocol.identity.TrustedKeys next = trusted.accept(io.latchkey.protocol.identity.SignedKeySet.parse(message));
            Map<String, PublicKey> keys = next.commandAndIssuingKeys();
            verifier = new CommandVerifier(keys, tenant, deviceId, clock, Duration.ofSeconds(30));
            receiptVerifier = new ReceiptVerifier(keys, tenant, deviceId);
            trusted = next;
        } catch (RuntimeException e) {
            refusedKeySets.add(e.getMessage());
        }
    }

    /** The serial of the key set this car took last (0: only the keys it was made with); see {@link #followKeySets}. */
    public long keySetSerial() {
        return trusted == null ? 0 : trusted.serial();
    }

    /** The command keys this car trusts now, by key id. */
    public java.util.Set<String> trustedCommandKeys() {
        return trusted == null ? pinnedCommandKeys.keySet() : trusted.commandAndIssuingKeys().keySet();
    }

    /** Why key sets were refused (an older serial, an unknown signer...), in arrival order. */
    public List<String> refusedKeySets() {
        return List.copyOf(refusedKeySets);
    }

    /** The commands this car refused on verification (unknown key, bad signature, expired...), by id. */
    public Map<String, CommandRejectedException.Reason> refusedCommands() {
        return Map.copyOf(refused);
    }

    /** The messages received on the revocations channel, raw, in arrival order. */
    public List<byte[]> revocationLists() {
        return List.copyOf(revocationLists);
    }

    /** The backend's receipts of stored telemetry that verified, in arrival order. */
    public List<TelemetryReceipt> receipts() {
        return List.copyOf(receipts);
    }

    /** Messages on the receipt channel that did not verify. */
    public int unverifiedReceipts() {
        return unverifiedReceipts.get();
    }

    private void onReceipt(byte[] message) {
        try {
            receipts.add(receiptVerifier.verify(message));
        } catch (ReceiptRejectedException e) {
            unverifiedReceipts.incrementAndGet();
        }
    }

    /** Decodes the keys as the discovery document publishes them. */
    public static Map<String, PublicKey> keys(com.fasterxml.jackson.databind.JsonNode discovery) {
        Map<String, PublicKey> keys = new ConcurrentHashMap<>();
        discovery.path("commandKeys").forEach(k -> keys.put(k.path("kid").asText(),
                Keys.decodeCommandPublicKey(k.path("publicKey").asText())));
        return keys;
    }

    public boolean isConnected() {
        return client.getState().isConnected();
    }

    public TestDevice silent() {
        silent = true;
        return this;
    }

    /** The next {@code n} answers are lost on the way (as with a broker's session lost): the car acts, the cloud never hears. */
    public TestDevice losesAnswers(int n) {
        answersToLose.set(n);
        return this;
    }

    /** How many commands this car carried out or refused by its checks (repeats answered from the first result not counted). */
    public int executions() {
        return executions.get();
    }

    public void openDoor(boolean open) {
        doorOpen = open;
    }

    /** From now on END_RENTAL and IMMOBILISE are refused for these checks (empty: accepted). */
    public void failChecks(String... checks) {
        failingChecks = List.of(checks);
    }

    /**
     * From now on IMMOBILISE is refused as the agent's interlock ({@code ReturnChecks.parked()}) refuses it, from what
     * this car last published as telemetry: {@code MOVING} above 3 km/h, {@code SPEED_UNKNOWN} without a speed,
     * {@code IGNITION_ON}, {@code IGNITION_UNKNOWN}; the first is the reason, all are {@code failed}.
     */
    public TestDevice withInterlock() {
        interlock = true;
        return this;
    }

    /**
     * From now on the lock does not take: LOCK and END_RENTAL (whose checks pass) are answered {@code FAILED} with
     * {@code reason}, END_RENTAL also with {@code failed} = {@code endRentalLines} as the agent does (null: as an
     * agent that names nothing). {@code reason} null: the lock takes again.
     */
    public void lockDoesNotTake(String reason, List<String> endRentalLines) {
        lockFailureLines = endRentalLines;
        lockFailure = reason;
    }

    public String deviceId() {
        return deviceId;
    }

    public List<byte[]> receivedCommands() {
        return List.copyOf(received);
    }

    public CommandVerifier verifier() {
        return verifier;
    }

    public void publishTelemetry(TelemetryRecord... records) throws Exception {
        if (records.length > 0) {
            lastPublished = records[records.length - 1];
        }
        publish(Channel.TELEMETRY, Json.write(new TelemetryBatch(deviceId, List.of(records))), false);
    }

    /** Publishes the state a car going to sleep publishes: offline, its power state and its next wake (docs/agent.md). */
    public void publishSleeping(String powerState, java.time.Instant nextWake) throws Exception {
        publish(Channel.STATE, Json.write(new DeviceState(deviceId, false, lock, java.time.Instant.now(), "test", powerState, nextWake)),
                true);
    }

    /** Publishes an awake car's state with its power state. */
    public void publishAwake(String powerState) throws Exception {
        publish(Channel.STATE, Json.write(new DeviceState(deviceId, true, lock, java.time.Instant.now(), "test", powerState, null)), true);
    }

    /** Subscribes to the device's own {@code booking} channel, as an agent does: the next bookings collect in {@link #nextBookings()}. */
    public TestDevice subscribeNextBooking() throws Exception {
        client.subscribeWith().topicFilter(Topic.of(tenant, deviceId, Channel.BOOKING).name()).qos(MqttQos.AT_LEAST_ONCE)
                .callback(m -> nextBookings.add(Json.read(m.getPayloadAsBytes(), io.latchkey.protocol.telemetry.NextBooking.class)))
                .send().get(10, TimeUnit.SECONDS);
        return this;
    }

    public List<io.latchkey.protocol.telemetry.NextBooking> nextBookings() {
        return List.copyOf(nextBookings);
    }

    private final List<io.latchkey.protocol.telemetry.NextBooking> nextBookings = new java.util.concurrent.CopyOnWriteArrayList<>();

    public void publishState(boolean online) throws Exception {
        publish(Channel.STATE, Json.write(new DeviceState(deviceId, online, lock, java.time.Instant.now(), "test")), true);
    }

    /** Publishes an answer of this device, signed with its own key, as if it answered a command. */
    public void publishAck(CommandAck ack) throws Exception {
        publish(Channel.ACK, ackSigner.signToWire(ack), false);
    }

    public void publishRaw(Channel channel, byte[] payload) throws Exception {
        publish(channel, payload, false);
    }

    private void onCommand(Mqtt5Publish message) {
        byte[] bytes = message.getPayloadAsBytes();
        received.add(bytes);
        if (silent) {
            return;
        }
        CommandAck ack;
        try {
            Command command = verifier.verify(bytes);
            CommandAck first = answered.get(command.id());
            if (first != null) {
                ack = first.asDuplicate();
            } else {
                ack = execute(command);
                executions.incrementAndGet();
                answered.putIfAbsent(command.id(), ack);
            }
        } catch (CommandRejectedException e) {
            String id = idOf(bytes);
            refused.put(id == null ? "?" : id, e.reason());
            ack = new CommandAck(id, null, deviceId, CommandOutcome.REJECTED, e.reason().name(), lock, doorOpen, false,
                    java.time.Instant.now());
        }
        if (answersToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return;
        }
        // never block the client's callback thread: it also completes our own publishes; at the channel's QoS, as an agent
        client.publishWith().topic(Topic.of(tenant, deviceId, Channel.ACK).name())
                .qos(Channel.ACK.qos() == 0 ? MqttQos.AT_MOST_ONCE : MqttQos.AT_LEAST_ONCE)
                .payload(ackSigner.signToWire(ack)).send();
    }

    private static List<String> parked(TelemetryRecord last) {
        List<String> failed = new java.util.ArrayList<>();
        Double speed = last == null ? null : last.speedKmh();
        if (speed == null) {
            failed.add("SPEED_UNKNOWN");
        } else if (speed > 3) {
            failed.add("MOVING");
        }
        Boolean ignition = last == null ? null : last.ignition();
        if (ignition == null) {
            failed.add("IGNITION_UNKNOWN");
        } else if (ignition) {
            failed.add("IGNITION_ON");
        }
        return failed;
    }

    /** The id of a command that failed verification, read without trusting it (as a real agent does). */
    private static String idOf(byte[] message) {
        try {
            io.latchkey.protocol.command.SignedCommand signed = Json.read(message, io.latchkey.protocol.command.SignedCommand.class);
            return Json.read(java.util.Base64.getUrlDecoder().decode(signed.payload()), Command.class).id();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private CommandAck execute(Command command) {
        List<String> failing = failingChecks;
        if (command.type() == CommandType.IMMOBILISE && failing.isEmpty() && interlock) {
            failing = parked(lastPublished);
        }
        if ((command.type() == CommandType.END_RENTAL || command.type() == CommandType.IMMOBILISE) && !failing.isEmpty()) {
            String reason = command.type() == CommandType.END_RENTAL ? "RETURN_CHECKS_FAILED" : failing.get(0);
            return new CommandAck(command.id(), null, deviceId, CommandOutcome.REJECTED, reason, lock, doorOpen, false,
                    java.time.Instant.now(), failing);
        }
        if (command.type() == CommandType.IMMOBILISE || command.type() == CommandType.MOBILISE) {
            return new CommandAck(command.id(), null, deviceId, CommandOutcome.EXECUTED, null, lock, doorOpen, false,
                    java.time.Instant.now());
        }
        String lockFails = lockFailure;
        if ((command.type() == CommandType.LOCK || command.type() == CommandType.END_RENTAL) && lockFails != null) {
            return new CommandAck(command.id(), null, deviceId, CommandOutcome.FAILED, lockFails, lock, doorOpen, false,
                    java.time.Instant.now(), command.type() == CommandType.END_RENTAL ? lockFailureLines : null);
        }
        if (command.type() == CommandType.LOCK && doorOpen) {
            return new CommandAck(command.id(), null, deviceId, CommandOutcome.FAILED, "DOOR_OPEN", lock, true, false,
                    java.time.Instant.now());
        }
        lock = command.type() == CommandType.UNLOCK ? LockState.UNLOCKED : LockState.LOCKED; // LOCK, END_RENTAL
        return new CommandAck(command.id(), null, deviceId, CommandOutcome.EXECUTED, null, lock, doorOpen, false,
                java.time.Instant.now());
    }

    private void publish(Channel channel, byte[] payload, boolean retain) throws Exception {
        client.publishWith().topic(Topic.of(tenant, deviceId, channel).name()).qos(MqttQos.AT_LEAST_ONCE)
                .retain(retain).payload(payload).send().get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        if (client.getState().isConnected()) {
            client.disconnect().get(10, TimeUnit.SECONDS);
        }
    }
}
