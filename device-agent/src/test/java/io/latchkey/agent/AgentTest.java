package io.latchkey.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.latchkey.agent.command.InMemoryCommandHistory;
import io.latchkey.agent.config.AgentConfig;
import io.latchkey.hal.gnss.FixedGnss;
import io.latchkey.hal.lock.SimulatedCentralLocking;
import io.latchkey.agent.telemetry.InMemorySequenceCounter;
import io.latchkey.hal.vehicle.MutableVehicleSignals;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.command.CommandAck;
import io.latchkey.protocol.command.CommandOutcome;
import io.latchkey.protocol.command.CommandType;
import io.latchkey.protocol.telemetry.DeviceState;
import io.latchkey.protocol.telemetry.TelemetryBatch;
import io.latchkey.protocol.telemetry.TelemetryReceipt;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentTest {
    private static final java.security.KeyPair DEVICE_KEY = io.latchkey.agent.TestDeviceKey.generate();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T17:00:00Z"));
    private final TestCloud cloud = new TestCloud("acme", clock);
    private final SimulatedCentralLocking wiring = new SimulatedCentralLocking(true, () -> false);
    private FakeBrokerConnection broker;
    private Agent agent;

    @TempDir
    Path dir;

    @BeforeEach
    void build() {
        AgentConfig config = AgentConfig.builder().tenant("acme").deviceId("dev-1").mqttUrl("tcp://127.0.0.1:1")
                .commandKey(TestCloud.KEY_ID, cloud.publicKeyBase64()).deviceKey(DEVICE_KEY.getPrivate()).dataDir(dir).build();
        agent = Agent.builder(config)
                .doorLocks(wiring.doorLocks(Duration.ZERO))
                .gnss(new FixedGnss(52.5, 13.4, clock))
                .vehicleSignals(new MutableVehicleSignals())
                .clock(clock)
                .commandHistory(new InMemoryCommandHistory(10, "dev-1", clock))
                .sequenceCounter(new InMemorySequenceCounter())
                .brokerConnection(will -> broker = new FakeBrokerConnection(will, cloud))
                .build();
    }

    @AfterEach
    void close() {
        agent.close();
    }

    @Test
    void lastWill_isARetainableOfflineState() {
        DeviceState will = Json.read(broker.will, DeviceState.class);

        assertThat(will.online()).isFalse();
        assertThat(will.deviceId()).isEqualTo("dev-1");
    }

    @Test
    void onConnection_theAgentPublishesARetainedOnlineStateWithTheLockState() {
        agent.start();
        broker.connect();

        FakeBrokerConnection.Published p = broker.on(Channel.STATE).get(0);
        DeviceState state = Json.read(p.payload(), DeviceState.class);
        assertThat(p.retain()).isTrue();
        assertThat(state.online()).isTrue();
        assertThat(state.lockState()).isEqualTo(LockState.LOCKED);
        assertThat(agent.firstConnection()).isDone();
    }

    @Test
    void aCommandFromTheBroker_isAnsweredOnTheAckChannel_andTheLockChangeIsSentAsTelemetry() {
        agent.start();
        broker.connect();

        broker.deliver(cloud.signed("dev-1", CommandType.UNLOCK));

        await().atMost(Duration.ofSeconds(5)).until(() -> !broker.on(Channel.ACK).isEmpty());
        CommandAck ack = io.latchkey.protocol.command.AckVerifier.verify(broker.on(Channel.ACK).get(0).payload(), "acme", "dev-1",
                io.latchkey.protocol.device.DeviceKeys.verification(DEVICE_KEY.getPublic()));
        assertThat(ack.outcome()).isEqualTo(CommandOutcome.EXECUTED);
        assertThat(ack.lockState()).isEqualTo(LockState.UNLOCKED);
        await().atMost(Duration.ofSeconds(5)).until(() -> broker.on(Channel.TELEMETRY).size() >= 2);
        TelemetryBatch lockRecord = Json.read(broker.on(Channel.TELEMETRY).get(1).payload(), TelemetryBatch.class);
        assertThat(lockRecord.records().get(0).reason()).isEqualTo("LOCK");
        assertThat(lockRecord.records().get(0).lockState()).isEqualTo(LockState.UNLOCKED);
    }

    @Test
    void close_saysGoodbyeWithARetainedOfflineState_andDisconnects() {
        agent.start();
        broker.connect();

        agent.close();

        FakeBrokerConnection.Published last = broker.on(Channel.STATE).get(broker.on(Channel.STATE).size() - 1);
        assertThat(Json.read(last.payload(), DeviceState.class).online()).isFalse();
        assertThat(last.retain()).isTrue();
        assertThat(broker.isClosed()).isTrue();
    }

    @Test
    void close_letsTheCommandInFlightFinishAndAnswersIt_beforeSayingOffline() {
        SimulatedCentralLocking slow = new SimulatedCentralLocking(true, () -> false);
        AgentConfig config = AgentConfig.builder().tenant("acme").deviceId("dev-2").mqttUrl("tcp://127.0.0.1:1")
                .commandKey(TestCloud.KEY_ID, cloud.publicKeyBase64()).deviceKey(DEVICE_KEY.getPrivate()).dataDir(dir.resolve("dev-2")).build();
        Agent slowAgent = Agent.builder(config)
                .doorLocks(slow.doorLocks(Duration.ofMillis(300)))
                .gnss(new FixedGnss(52.5, 13.4, clock))
                .vehicleSignals(new MutableVehicleSignals())
                .clock(clock)
                .brokerConnection(will -> broker = new FakeBrokerConnection(will, cloud))
                .build();
        slowAgent.start();
        broker.connect();
        broker.deliver(cloud.signed("dev-2", CommandType.UNLOCK));

        slowAgent.close();

        java.util.List<Channel> order = broker.published.stream().map(FakeBrokerConnection.Published::channel)
                .filter(c -> c == Channel.ACK || c == Channel.STATE).toList();
        assertThat(order).containsSubsequence(Channel.ACK, Channel.STATE);
        assertThat(Json.read(broker.on(Channel.STATE).get(broker.on(Channel.STATE).size() - 1).payload(), DeviceState.class).online())
                .isFalse();
        assertThat(slow.unlockRelay().activations()).isEqualTo(1);
        assertThat(broker.isClosed()).isTrue();
    }

    @Test
    void status_followsTheConnection_fromConnectingToOnlineToOfflineBuffering() {
        assertThat(agent.status().state()).isEqualTo(io.latchkey.agent.status.AgentState.BOOTING);
        agent.start();
        assertThat(agent.status().state()).isEqualTo(io.latchkey.agent.status.AgentState.CONNECTING);
        broker.connect();
        assertThat(agent.status().state()).isEqualTo(io.latchkey.agent.status.AgentState.ONLINE);
        broker.disconnect();

        assertThat(agent.status().state()).isEqualTo(io.latchkey.agent.status.AgentState.OFFLINE_BUFFERING);
        assertThat(agent.status().journal()).isNotNull();
    }

    @Test
    void statusJson_followsTheConnection_andAFailedReconnectionAttemptDoesNotWriteItAgain() throws Exception {
        Path status = dir.resolve(io.latchkey.agent.status.StatusFile.FILE_NAME);
        agent.start();
        broker.connect();
        await().atMost(Duration.ofSeconds(5)).until(() -> statusState(status).equals("ONLINE"));
        broker.disconnect(); // the connection goes
        await().atMost(Duration.ofSeconds(5)).until(() -> statusState(status).equals("OFFLINE_BUFFERING"));

        java.nio.file.Files.delete(status);
        for (int attempt = 0; attempt < 20; attempt++) {
            broker.disconnect(); // what a connection reports at every failed reconnection attempt
        }
        Thread.sleep(300); // the scheduler had time to write, had it been asked to (the periodic refresh is every 10 s)
        assertThat(status).doesNotExist();

        broker.connect();
        await().atMost(Duration.ofSeconds(5)).until(() -> statusState(status).equals("ONLINE"));
    }

    private static String statusState(Path status) {
        try {
            return Json.mapper().readTree(java.nio.file.Files.readAllBytes(status)).path("state").asText();
        } catch (java.io.IOException e) {
            return "none";
        }
    }

    @Test
    void telemetryStaysInTheJournalUntilTheCloudsReceipt_andBadReceiptsReleaseNothing() {
        agent.start();
        broker.receipts = false;
        broker.connect();
        await().atMost(Duration.ofSeconds(5)).until(() -> !broker.on(Channel.TELEMETRY).isEmpty());
        TelemetryBatch sent = Json.read(broker.on(Channel.TELEMETRY).get(0).payload(), TelemetryBatch.class);
        long first = sent.records().get(0).seq();
        long last = sent.records().get(sent.records().size() - 1).seq();
        assertThat(agent.status().journal().pendingRecords()).isPositive();

        TelemetryReceipt real = new TelemetryReceipt("acme", "dev-1", first, last);
        broker.deliverReceipt("{not json".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        broker.deliverReceipt(Json.write(real));
        broker.deliverReceipt(TestCloud.forged(real));
        broker.deliverReceipt(cloud.signed(new TelemetryReceipt("acme", "dev-2", first, last)));
        broker.deliverReceipt("{\"deviceId\":\"dev-1\",\"firstSeq\":0,\"lastSeq\":-1}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.status().receipts().rejected() == 5);
        assertThat(agent.status().journal().ackedSeq()).isZero();

        broker.deliverReceipt(cloud.signed(real));
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.status().journal().ackedSeq() == last);
        assertThat(agent.status().receipts().accepted()).isEqualTo(1);
    }

    @Test
    void builder_withoutDoorLocks_failsNamingWhatIsMissing() {
        AgentConfig config = agent.config();

        assertThatThrownBy(() -> Agent.builder(config).gnss(new FixedGnss(0, 0, clock))
                .vehicleSignals(new MutableVehicleSignals()).build())
                .isInstanceOf(AgentException.class).hasMessageContaining("doorLocks is required");
    }
}
