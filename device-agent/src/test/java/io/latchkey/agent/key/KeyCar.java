package io.latchkey.agent.key;

import io.latchkey.agent.Agent;
import io.latchkey.agent.FakeBrokerConnection;
import io.latchkey.agent.MutableClock;
import io.latchkey.agent.TestCloud;
import io.latchkey.agent.TestDeviceKey;
import io.latchkey.agent.command.InMemoryCommandHistory;
import io.latchkey.agent.config.AgentConfig;
import io.latchkey.hal.Registration;
import io.latchkey.hal.gnss.Gnss;
import io.latchkey.hal.gnss.GnssFix;
import io.latchkey.hal.key.SimulatedBarcodeScanner;
import io.latchkey.hal.key.SimulatedBleKeyLink;
import io.latchkey.hal.lock.SimulatedCentralLocking;
import io.latchkey.hal.vehicle.MutableVehicleSignals;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Ed25519;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.key.KeyCredential;
import io.latchkey.protocol.key.KeyRight;
import io.latchkey.protocol.key.PhoneKey;
import io.latchkey.protocol.key.RevocationList;
import io.latchkey.protocol.key.TenantSigned;
import io.latchkey.protocol.telemetry.DeviceEvent;
import io.latchkey.protocol.telemetry.TelemetryBatch;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;

/**
 * One car with offline keys, as the agent's tests drive it: simulated locks with a 0 ms pulse, the simulated BLE link
 * and scanner, a fake broker (offline until {@link #online()}), the real journal under {@code dir}, and a monotonic
 * clock the test moves. The tenant (a {@link TestCloud}) issues credentials and lists.
 */
final class KeyCar implements AutoCloseable {
    static final KeyPair DEVICE_KEY = TestDeviceKey.generate();
    static final String DEVICE_PUBLIC_KEY = Ed25519.base64url(DEVICE_KEY.getPublic().getEncoded());
    static final SecureRandom RANDOM = new SecureRandom();

    /** A receiver with no fix: underground. */
    static final Gnss NO_GNSS = new Gnss() {
        @Override
        public Optional<GnssFix> latest() {
            return Optional.empty();
        }

        @Override
        public Registration addListener(Consumer<GnssFix> listener) {
            return Registration.NONE;
        }
    };

    final TestCloud cloud;
    final SimulatedCentralLocking wiring;
    final SimulatedBleKeyLink ble = new SimulatedBleKeyLink();
    final SimulatedBarcodeScanner scanner = new SimulatedBarcodeScanner();
    final AtomicLong nanos;
    final Agent agent;
    FakeBrokerConnection broker;

    KeyCar(Path dir, TestCloud cloud, MutableClock systemClock, AtomicLong nanos, Gnss gnss, SimulatedCentralLocking wiring) {
        this(dir, cloud, systemClock, nanos, gnss, wiring, null);
    }

    /** With a hardware RTC ({@code null}: none). */
    KeyCar(Path dir, TestCloud cloud, MutableClock systemClock, AtomicLong nanos, Gnss gnss, SimulatedCentralLocking wiring,
           io.latchkey.hal.time.Rtc rtc) {
        this(cloud, systemClock, nanos, gnss, wiring, rtc, AgentConfig.builder().tenant("acme").deviceId("dev-1").mqttUrl("tcp://127.0.0.1:1")
                .commandKey(TestCloud.KEY_ID, cloud.publicKeyBase64()).deviceKey(DEVICE_KEY.getPrivate()).dataDir(dir).build());
    }

    /** On a configuration of the test's own (e.g. a renewed identity), for tenant acme, device dev-1. */
    KeyCar(TestCloud cloud, MutableClock systemClock, AtomicLong nanos, Gnss gnss, SimulatedCentralLocking wiring,
           io.latchkey.hal.time.Rtc rtc, AgentConfig config) {
        this.cloud = cloud;
        this.wiring = wiring;
        this.nanos = nanos;
        var builder = Agent.builder(config);
        if (rtc != null) {
            builder.rtc(rtc);
        }
        agent = builder
                .doorLocks(wiring.doorLocks(Duration.ZERO))
                .gnss(gnss)
                .vehicleSignals(new MutableVehicleSignals())
                .clock(systemClock)
                .commandHistory(new InMemoryCommandHistory(10, "dev-1", systemClock))
                .brokerConnection(will -> broker = new FakeBrokerConnection(will, cloud))
                .bleKeyLink(ble)
                .barcodeScanner(scanner)
                .nanoTime(nanos::get)
                .build();
        agent.start();
    }

    OfflineKeys keys() {
        return agent.offlineKeys().orElseThrow();
    }

    void online() {
        broker.connect();
    }

    /** The monotonic clock moves on. */
    void elapse(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Override
    public void close() {
        agent.close();
        ble.close();
        scanner.close();
    }

    // ---- the tenant's side ----

    static ECPrivateKeyParameters newHolder() {
        return PhoneKey.newHolderKey(RANDOM);
    }

    static KeyCredential credential(String keyId, String tenant, String device, ECPrivateKeyParameters holder, Set<KeyRight> rights,
                                    Instant from, Instant to, Instant issuedAt, KeyCredential.Parent parent) {
        return credential(keyId, tenant, device, holder, rights, from, to, issuedAt, parent, DEVICE_PUBLIC_KEY);
    }

    /** A credential naming {@code devicePublicKey} (base64url SubjectPublicKeyInfo) as the car's key. */
    static KeyCredential credential(String keyId, String tenant, String device, ECPrivateKeyParameters holder, Set<KeyRight> rights,
                                    Instant from, Instant to, Instant issuedAt, KeyCredential.Parent parent, String devicePublicKey) {
        return new KeyCredential(1, KeyCredential.TYPE, keyId, tenant, device, "car-1", "bk-1",
                new KeyCredential.Holder("u-rita", PhoneKey.publicKeyOf(holder)), rights, from, to, issuedAt, parent, devicePublicKey);
    }

    TenantSigned sign(KeyCredential c) {
        return TenantSigned.sign(TenantSigned.Kind.CREDENTIAL, c, TestCloud.KEY_ID, cloud.keys().getPrivate());
    }

    TenantSigned revocations(long serial, Instant issuedAt, String... keyIds) {
        List<RevocationList.Entry> entries = java.util.Arrays.stream(keyIds)
                .map(k -> new RevocationList.Entry(k, issuedAt.plus(Duration.ofDays(1)))).toList();
        return TenantSigned.sign(TenantSigned.Kind.REVOCATIONS, new RevocationList(1, RevocationList.TYPE, "acme", serial, issuedAt, entries),
                TestCloud.KEY_ID, cloud.keys().getPrivate());
    }

    /** A phone holding a fresh key pair and a credential for it, for this car as the backend knew it by {@code devicePublicKey}. */
    VirtualPhone phone(String keyId, Set<KeyRight> rights, Instant from, Instant to, Instant issuedAt, java.security.PublicKey devicePublicKey) {
        ECPrivateKeyParameters holder = newHolder();
        return new VirtualPhone(new PhoneKey(holder, sign(credential(keyId, "acme", "dev-1", holder, rights, from, to, issuedAt, null,
                Ed25519.base64url(devicePublicKey.getEncoded())))));
    }

    /** A phone holding a fresh key pair and a credential for it, for this car. */
    VirtualPhone phone(String keyId, Set<KeyRight> rights, Instant from, Instant to, Instant issuedAt) {
        ECPrivateKeyParameters holder = newHolder();
        return new VirtualPhone(new PhoneKey(holder, sign(credential(keyId, "acme", "dev-1", holder, rights, from, to, issuedAt, null))));
    }

    // ---- what reached the cloud ----

    /** The OFFLINE_KEY_USE events the car has sent, in the order of their records' seqs. */
    List<DeviceEvent> sentKeyEvents() {
        return sentRecords().stream().filter(r -> r.event() != null).map(TelemetryRecord::event).toList();
    }

    List<TelemetryRecord> sentRecords() {
        return broker.on(Channel.TELEMETRY).stream()
                .flatMap(p -> Json.read(p.payload(), TelemetryBatch.class).records().stream()).toList();
    }
}
