package io.latchkey.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.latchkey.agent.Agent;
import io.latchkey.agent.TestCloud;
import io.latchkey.agent.config.AgentConfig;
import io.latchkey.hal.gnss.FixedGnss;
import io.latchkey.hal.lock.SimulatedCentralLocking;
import io.latchkey.hal.vehicle.MutableVehicleSignals;
import io.latchkey.hal.vehicle.Vss;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.command.Command;
import io.latchkey.protocol.command.CommandAck;
import io.latchkey.protocol.command.CommandOutcome;
import io.latchkey.protocol.command.CommandType;
import io.latchkey.protocol.telemetry.DeviceState;
import io.latchkey.protocol.telemetry.TelemetryReceipt;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real agent against a real broker, with a test cloud that signs commands with the tenant key. */
class AgentIT {
    private static final java.security.KeyPair DEVICE_KEY = io.latchkey.agent.TestDeviceKey.generate();
    private static final String TENANT = "acme";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path brokerDir;
    private static EmbeddedBroker broker;
    private static CloudClient cloudClient;

    private final Clock clock = Clock.systemUTC();
    private static final TestCloud cloud = new TestCloud(TENANT, Clock.systemUTC());
    private final List<Agent> agents = new ArrayList<>();

    @TempDir
    Path dataDir;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = new EmbeddedBroker(brokerDir);
        cloudClient = new CloudClient(broker.port(), cloud);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        cloudClient.close();
        broker.close();
    }

    @AfterEach
    void stopAgents() {
        agents.forEach(Agent::close);
    }

    private final class Car {
        final String deviceId = "dev-" + UUID.randomUUID().toString().substring(0, 8);
        final MutableVehicleSignals signals = new MutableVehicleSignals();
        final SimulatedCentralLocking wiring = new SimulatedCentralLocking(true,
                () -> signals.value(Vss.DRIVER_DOOR_OPEN).orElse(0.0) >= 0.5);

        Agent start(Duration movingInterval) {
            AgentConfig config = AgentConfig.builder().tenant(TENANT).deviceId(deviceId).mqttUrl(broker.url())
                    .commandKey(TestCloud.KEY_ID, cloud.publicKeyBase64()).deviceKey(DEVICE_KEY.getPrivate())
                    .dataDir(dataDir.resolve(deviceId))
                    .movingInterval(movingInterval).parkedInterval(Duration.ofSeconds(30))
                    .feedbackTimeout(Duration.ofMillis(500))
                    .reconnectDelays(Duration.ofMillis(100), Duration.ofSeconds(2))
                    .build();
            Agent agent = Agent.builder(config)
                    .doorLocks(wiring.doorLocks(Duration.ZERO))
                    .gnss(new FixedGnss(52.52, 13.405, clock))
                    .vehicleSignals(signals)
                    .clock(clock)
                    .build();
            agents.add(agent);
            agent.start();
            agent.firstConnection().orTimeout(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join();
            return agent;
        }

        CommandAck send(Command command, byte[] signed) throws Exception {
            cloudClient.send(deviceId, signed);
            await().atMost(WAIT).until(() -> !cloudClient.acksFor(command.id()).isEmpty());
            List<CommandAck> acks = cloudClient.acksFor(command.id());
            return acks.get(acks.size() - 1);
        }

        CommandAck send(Command command) throws Exception {
            return send(command, cloud.signed(command));
        }
    }

    @Test
    void unlock_overMqtt_pulsesTheRelayOnce_andAcksUnlockedReadFromFeedback() throws Exception {
        Car car = new Car();
        car.start(Duration.ofSeconds(5));
        await().atMost(WAIT).until(() -> cloudClient.states.stream()
                .anyMatch(s -> s.deviceId().equals(car.deviceId) && s.online()));

        CommandAck ack = car.send(cloud.command(car.deviceId, CommandType.UNLOCK));

        assertThat(ack.outcome()).isEqualTo(CommandOutcome.EXECUTED);
        assertThat(ack.lockState()).isEqualTo(LockState.UNLOCKED);
        assertThat(ack.deviceId()).isEqualTo(car.deviceId);
        assertThat(car.wiring.unlockRelay().activations()).isEqualTo(1);
        assertThat(car.wiring.isLocked()).isFalse();

        CommandAck lock = car.send(cloud.command(car.deviceId, CommandType.LOCK));
        assertThat(lock.outcome()).isEqualTo(CommandOutcome.EXECUTED);
        assertThat(lock.lockState()).isEqualTo(LockState.LOCKED);
    }

    @Test
    void forgedSignature_wrongDevice_andExpiredCommands_areRejected_andTheRelayIsNeverPulsed() throws Exception {
        Car car = new Car();
        car.start(Duration.ofSeconds(5));

        Command forged = cloud.command(car.deviceId, CommandType.UNLOCK);
        assertThat(car.send(forged, TestCloud.forged(forged)).reason()).isEqualTo("BAD_SIGNATURE");

        Command elsewhere = new Command(UUID.randomUUID().toString(), TENANT, "dev-other", CommandType.UNLOCK,
                clock.instant(), clock.instant().plusSeconds(10), "u");
        assertThat(car.send(elsewhere).reason()).isEqualTo("WRONG_DEVICE");

        Command expired = new Command(UUID.randomUUID().toString(), TENANT, car.deviceId, CommandType.UNLOCK,
                clock.instant().minusSeconds(20), clock.instant().minusSeconds(10), "u");
        CommandAck ack = car.send(expired);
        assertThat(ack.outcome()).isEqualTo(CommandOutcome.REJECTED);
        assertThat(ack.reason()).isEqualTo("EXPIRED");
        assertThat(ack.lockState()).isEqualTo(LockState.LOCKED);

        assertThat(car.wiring.unlockRelay().activations()).isZero();
        assertThat(car.wiring.isLocked()).isTrue();
    }

    @Test
    void replayedCommandId_isAnsweredAsADuplicateOfTheFirstResult_andTheRelayIsNotPulsedAgain() throws Exception {
        Car car = new Car();
        car.start(Duration.ofSeconds(5));
        Command unlock = cloud.command(car.deviceId, CommandType.UNLOCK);
        byte[] signed = cloud.signed(unlock);
        CommandAck first = car.send(unlock, signed);

        cloudClient.send(car.deviceId, signed);
        await().atMost(WAIT).until(() -> cloudClient.acksFor(unlock.id()).size() == 2);

        CommandAck second = cloudClient.acksFor(unlock.id()).get(1);
        assertThat(second.duplicate()).isTrue();
        assertThat(second.outcome()).isEqualTo(first.outcome());
        assertThat(second.lockState()).isEqualTo(LockState.UNLOCKED);
        assertThat(car.wiring.unlockRelay().activations()).isEqualTo(1);
    }

    @Test
    void telemetry_arrivesWithConsecutiveSequenceNumbersFromOne() {
        Car car = new Car();
        car.signals.update(Vss.SPEED, 30);
        car.signals.update(Vss.TRAVELED_DISTANCE, 1000);
        car.start(Duration.ofMillis(100));

        await().atMost(WAIT).until(() -> records(car).size() >= 5);

        List<TelemetryRecord> records = records(car);
        for (int i = 0; i < records.size(); i++) {
            assertThat(records.get(i).seq()).isEqualTo(i + 1);
        }
        assertThat(records.get(0).lat()).isEqualTo(52.52);
        assertThat(records.get(0).speedKmh()).isEqualTo(30.0);
        assertThat(records.get(0).odometerKm()).isEqualTo(1000.0);
    }

    @Test
    void commandQueuedWhileTheCarWasOffline_isDeliveredOnReconnection_butRejectedAsExpired_andSeqContinues()
            throws Exception {
        Car car = new Car();
        Agent first = car.start(Duration.ofSeconds(5));
        await().atMost(WAIT).until(() -> !records(car).isEmpty());
        long lastSeq = records(car).get(records(car).size() - 1).seq();
        first.close();
        await().atMost(WAIT).until(() -> latestState(car).map(s -> !s.online()).orElse(false));

        Command late = new Command(UUID.randomUUID().toString(), TENANT, car.deviceId, CommandType.UNLOCK,
                clock.instant(), clock.instant().plusMillis(300), "u");
        cloudClient.send(car.deviceId, cloud.signed(late));
        Thread.sleep(500);
        car.start(Duration.ofSeconds(5));

        await().atMost(WAIT).until(() -> !cloudClient.acksFor(late.id()).isEmpty());
        CommandAck ack = cloudClient.acksFor(late.id()).get(0);
        assertThat(ack.outcome()).isEqualTo(CommandOutcome.REJECTED);
        assertThat(ack.reason()).isEqualTo("EXPIRED");
        assertThat(car.wiring.unlockRelay().activations()).isZero();
        await().atMost(WAIT).until(() -> records(car).get(records(car).size() - 1).seq() > lastSeq);
        assertThat(records(car).stream().map(TelemetryRecord::seq).distinct().count()).isEqualTo(records(car).size());
    }

    @Test
    void forgedUnsignedAndMisaddressedReceipts_releaseNothing_theRecordIsResentAndStored() throws Exception {
        Car car = new Car();
        cloudClient.withholdReceipts(car.deviceId, true);
        Agent agent = car.start(Duration.ofSeconds(5));
        await().atMost(WAIT).until(() -> !records(car).isEmpty());
        TelemetryReceipt real = new TelemetryReceipt(TENANT, car.deviceId, 1, 1);

        cloudClient.publishReceipt(car.deviceId, TestCloud.forged(real));
        cloudClient.publishReceipt(car.deviceId, Json.write(real));
        cloudClient.publishReceipt(car.deviceId, cloud.signed(new TelemetryReceipt(TENANT, "dev-other", 1, 1)));

        await().atMost(WAIT).until(() -> agent.status().receipts().rejected() >= 3);
        assertThat(agent.status().journal().ackedSeq()).isZero();
        assertThat(agent.status().receipts().accepted()).isZero();

        cloudClient.withholdReceipts(car.deviceId, false);
        // no receipt came: the batch is sent again (receipt timeout), stored once, and this time receipted
        await().atMost(Duration.ofSeconds(30)).until(() -> agent.status().journal().ackedSeq() >= 1);
        assertThat(records(car)).extracting(TelemetryRecord::seq).startsWith(1L).doesNotHaveDuplicates();
        assertThat(agent.status().receipts().rejected()).isEqualTo(3);
    }

    private List<TelemetryRecord> records(Car car) {
        return cloudClient.telemetryOf(car.deviceId);
    }

    private java.util.Optional<DeviceState> latestState(Car car) {
        List<DeviceState> mine = cloudClient.states.stream().filter(s -> s.deviceId().equals(car.deviceId)).toList();
        return mine.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(mine.get(mine.size() - 1));
    }
}
