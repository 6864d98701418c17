package io.latchkey.simulator.phone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.latchkey.agent.Agent;
import io.latchkey.agent.command.InMemoryCommandHistory;
import io.latchkey.agent.config.AgentConfig;
import io.latchkey.agent.mqtt.BrokerConnection;
import io.latchkey.hal.gnss.FixedGnss;
import io.latchkey.hal.key.SimulatedBarcodeScanner;
import io.latchkey.hal.key.SimulatedBleKeyLink;
import io.latchkey.hal.lock.SimulatedCentralLocking;
import io.latchkey.hal.vehicle.MutableVehicleSignals;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Ed25519;
import io.latchkey.protocol.Keys;
import io.latchkey.protocol.key.KeyCredential;
import io.latchkey.protocol.key.KeyRight;
import io.latchkey.protocol.key.TenantSigned;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator's phone opens a real agent with no network: over BLE, then with a QR code. */
class VirtualPhoneTest {
    static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

    /** A broker that is never reachable: the car park has no network. */
    static final class NoNetwork implements BrokerConnection {
        @Override
        public void start(Listener listener) {
        }

        @Override
        public CompletableFuture<Void> publish(Channel channel, byte[] payload, boolean retain) {
            return CompletableFuture.failedFuture(new IllegalStateException("offline"));
        }

        @Override
        public boolean isConnected() {
            return false;
        }

        @Override
        public CompletableFuture<Void> close() {
            return CompletableFuture.completedFuture(null);
        }
    }

    @TempDir
    Path dir;

    @Test
    void aPhoneWithAKey_opensAndLocksACarUnderground_byBleAndByQr() throws Exception {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        KeyPair tenant = Keys.newCommandKeyPair();
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair device = ec.generateKeyPair();
        SimulatedCentralLocking wiring = new SimulatedCentralLocking(true, () -> false);
        SimulatedBleKeyLink ble = new SimulatedBleKeyLink();
        SimulatedBarcodeScanner scanner = new SimulatedBarcodeScanner();
        AgentConfig config = AgentConfig.builder().tenant("acme").deviceId("sim-car-1").mqttUrl("tcp://127.0.0.1:1")
                .commandKey("cmd-1", tenant.getPublic()).deviceKey(device.getPrivate()).dataDir(dir).build();
        try (Agent agent = Agent.builder(config).doorLocks(wiring.doorLocks(Duration.ZERO)).gnss(new FixedGnss(52.5, 13.4, clock))
                .vehicleSignals(new MutableVehicleSignals()).clock(clock).commandHistory(new InMemoryCommandHistory(10, "sim-car-1", clock))
                .brokerConnection(will -> new NoNetwork()).bleKeyLink(ble).barcodeScanner(scanner).build()) {
            agent.start();
            VirtualPhone phone = new VirtualPhone(new SecureRandom(), clock);
            KeyCredential credential = new KeyCredential(1, KeyCredential.TYPE, "key-00000000000000a1", "acme", "sim-car-1", "car-1",
                    "bk-1", new KeyCredential.Holder("u-rita", phone.publicKey()), Set.of(KeyRight.UNLOCK, KeyRight.LOCK),
                    NOW.minusSeconds(60), NOW.plusSeconds(3600), NOW.minusSeconds(120), null,
                    Ed25519.base64url(device.getPublic().getEncoded()));
            phone.store(TenantSigned.sign(TenantSigned.Kind.CREDENTIAL, credential, "cmd-1", tenant.getPrivate()));

            VirtualPhone.Answer unlocked = phone.overBle(ble, KeyRight.UNLOCK);
            assertThat(unlocked.executed()).as("the car's own signed answer").isTrue();
            assertThat(wiring.isLocked()).isFalse();

            phone.showQr(scanner, KeyRight.LOCK);
            await().atMost(Duration.ofSeconds(5)).until(wiring::isLocked);
        }
    }
}
