package io.latchkey.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.latchkey.agent.command.InMemoryCommandHistory;
import io.latchkey.agent.config.AgentConfig;
import io.latchkey.hal.gnss.FixedGnss;
import io.latchkey.hal.lock.SimulatedCentralLocking;
import io.latchkey.agent.telemetry.InMemorySequenceCounter;
import io.latchkey.hal.can.SimulatedCanBus;
import io.latchkey.hal.can.obd.ObdFrames;
import io.latchkey.hal.can.obd.ObdPid;
import io.latchkey.hal.can.obd.SimulatedObdEcu;
import io.latchkey.hal.vehicle.MutableVehicleSignals;
import io.latchkey.hal.vehicle.Vss;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.telemetry.TelemetryBatch;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent polling OBD-II (can.obd.pids) on a simulated bus with a simulated engine ECU. */
class AgentObdTest {
    private static final java.security.KeyPair DEVICE_KEY = io.latchkey.agent.TestDeviceKey.generate();
    private static final double FUEL_STEP = 100.0 / 255;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T17:00:00Z"));
    private final TestCloud cloud = new TestCloud("acme", clock);
    private final SimulatedCanBus bus = new SimulatedCanBus(clock);
    private final SimulatedObdEcu ecu = new SimulatedObdEcu(bus);
    private final MutableVehicleSignals signals = new MutableVehicleSignals();
    private FakeBrokerConnection broker;
    private Agent agent;

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        if (agent != null) {
            agent.close();
        }
    }

    private AgentConfig.Builder config() {
        return AgentConfig.builder().tenant("acme").deviceId("dev-1").mqttUrl("tcp://127.0.0.1:1")
                .commandKey(TestCloud.KEY_ID, cloud.publicKeyBase64()).deviceKey(DEVICE_KEY.getPrivate()).dataDir(dir)
                .obdPids(List.of(ObdPid.FUEL_LEVEL)).obdInterval(Duration.ofMillis(10));
    }

    private AgentBuilder builder(AgentConfig config) {
        return Agent.builder(config)
                .doorLocks(new SimulatedCentralLocking(true, () -> false).doorLocks(Duration.ZERO))
                .gnss(new FixedGnss(52.5, 13.4, clock))
                .vehicleSignals(signals)
                .clock(clock)
                .commandHistory(new InMemoryCommandHistory(10, "dev-1", clock))
                .sequenceCounter(new InMemorySequenceCounter())
                .brokerConnection(will -> broker = new FakeBrokerConnection(will, cloud));
    }

    private void startConnected() {
        agent = builder(config().build()).canBus(bus).build();
        agent.start();
        broker.connect();
    }

    /** Opens the driver's door, which makes the agent take a DOOR record, and returns that record. */
    private TelemetryRecord doorRecord() {
        signals.update(Vss.DRIVER_DOOR_OPEN, 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> findDoorRecord().isPresent());
        return findDoorRecord().orElseThrow();
    }

    private Optional<TelemetryRecord> findDoorRecord() {
        return broker.on(Channel.TELEMETRY).stream()
                .flatMap(p -> Json.read(p.payload(), TelemetryBatch.class).records().stream())
                .filter(r -> "DOOR".equals(r.reason())).findFirst();
    }

    @Test
    void theEcusFuelLevel_reachesTheTelemetryRecords_overObd() {
        ecu.set(ObdPid.FUEL_LEVEL, 42);
        startConnected();
        await().atMost(Duration.ofSeconds(5)).until(() -> signals.value(Vss.FUEL_LEVEL).isPresent());

        TelemetryRecord record = doorRecord();

        assertThat(record.signals()).containsKey(Vss.FUEL_LEVEL);
        assertThat(record.signals().get(Vss.FUEL_LEVEL)).isCloseTo(42.0, within(FUEL_STEP / 2));
        assertThat(bus.sent()).allSatisfy(f -> assertThat(ObdFrames.requestedPid(f)).isEqualTo(ObdPid.FUEL_LEVEL.pid()));
        assertThat(agent.status().obd().responses()).isPositive();
        assertThat(agent.status().obd().malformed()).isZero();
    }

    @Test
    void aSilentEcu_leavesFuelAbsent_andItsRequestsAreCountedUnanswered() {
        startConnected();
        await().atMost(Duration.ofSeconds(5)).until(() -> agent.status().obd().unanswered() >= 3);

        TelemetryRecord record = doorRecord();

        assertThat(record.signals() == null ? Map.of() : record.signals()).doesNotContainKey(Vss.FUEL_LEVEL);
        assertThat(signals.value(Vss.FUEL_LEVEL)).isEmpty();
        assertThat(agent.status().obd().responses()).isZero();
    }

    @Test
    void close_stopsThePolling_andDetachesFromTheBus() {
        ecu.set(ObdPid.FUEL_LEVEL, 42);
        startConnected();
        await().atMost(Duration.ofSeconds(5)).until(() -> bus.sent().size() >= 3);

        agent.close();
        int sentAtClose = bus.sent().size();
        ecu.set(ObdPid.FUEL_LEVEL, 10);
        bus.inject(ObdFrames.response(ObdFrames.FIRST_RESPONSE_ID, ObdPid.FUEL_LEVEL.pid(), new byte[]{25}));

        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> bus.sent().size() == sentAtClose);
        assertThat(signals.value(Vss.FUEL_LEVEL).orElseThrow()).isCloseTo(42.0, within(FUEL_STEP / 2));
    }

    @Test
    void noObdPids_noRequests() {
        agent = builder(config().obdPids(List.of()).build()).canBus(bus).build();
        agent.start();
        broker.connect();

        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> bus.sent().isEmpty());
        assertThat(agent.status().obd()).isNull();
    }

    @Test
    void builder_withObdPids_butNoCanBus_failsNamingTheKey() {
        AgentBuilder withoutBus = builder(config().build());

        assertThatThrownBy(withoutBus::build).isInstanceOf(AgentException.class)
                .hasMessageContaining("can.obd.pids is set ([FUEL_LEVEL]) but the agent was given no CAN bus");
    }
}
