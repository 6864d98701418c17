package io.latchkey.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.agent.command.InMemoryCommandHistory;
import io.latchkey.agent.config.AgentConfig;
import io.latchkey.agent.power.PowerManager;
import io.latchkey.agent.power.PowerSettings;
import io.latchkey.agent.power.PowerState;
import io.latchkey.agent.telemetry.InMemorySequenceCounter;
import io.latchkey.hal.gnss.FixedGnss;
import io.latchkey.hal.lock.SimulatedCentralLocking;
import io.latchkey.hal.power.SimulatedSupplyVoltage;
import io.latchkey.hal.vehicle.MutableVehicleSignals;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.telemetry.DeviceEvent;
import io.latchkey.protocol.telemetry.DeviceState;
import io.latchkey.protocol.telemetry.NextBooking;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The power states carried out by a whole agent: its goodbye state, MQTT off and on, protection across a restart. */
class AgentPowerTest {
    private static final java.security.KeyPair DEVICE_KEY = TestDeviceKey.generate();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T17:00:00Z"));
    private final TestCloud cloud = new TestCloud("acme", clock);
    private final SimulatedSupplyVoltage supply = new SimulatedSupplyVoltage(12.6);
    private FakeBrokerConnection broker;
    private Agent agent;

    @TempDir
    Path dir;

    private Agent agent(Map<String, String> power) {
        AgentConfig config = AgentConfig.builder().tenant("acme").deviceId("dev-1").mqttUrl("tcp://127.0.0.1:1")
                .commandKey(TestCloud.KEY_ID, cloud.publicKeyBase64()).deviceKey(DEVICE_KEY.getPrivate()).dataDir(dir)
                .power(PowerSettings.parse(power)).build();
        return Agent.builder(config)
                .doorLocks(new SimulatedCentralLocking(true, () -> false).doorLocks(Duration.ZERO))
                .gnss(new FixedGnss(52.5, 13.4, clock))
                .vehicleSignals(new MutableVehicleSignals())
                .supplyVoltage(supply)
                .clock(clock)
                .commandHistory(new InMemoryCommandHistory(10, "dev-1", clock))
                .sequenceCounter(new InMemorySequenceCounter())
                .brokerConnection(will -> broker = new FakeBrokerConnection(will, cloud))
                .build();
    }

    @AfterEach
    void close() {
        if (agent != null) {
            agent.close();
        }
    }

    private PowerManager power() {
        return agent.power().orElseThrow();
    }

    private DeviceState lastState() {
        List<FakeBrokerConnection.Published> states = broker.on(Channel.STATE);
        return Json.read(states.get(states.size() - 1).payload(), DeviceState.class);
    }

    private List<String> powerEvents() {
        return broker.on(Channel.EVENT).stream().map(p -> Json.read(p.payload(), DeviceEvent.class))
                .filter(e -> e.type().equals(PowerManager.EVENT)).map(e -> e.details().get("to")).toList();
    }

    @Test
    void aParkedCarSaysItSleepsWithItsNextWake_turnsMqttOff_andWakesAheadOfTheBookingItWasTold() {
        agent = agent(Map.of());
        agent.start();
        broker.connect();
        assertThat(lastState().powerState()).isEqualTo("NORMAL");
        Instant booking = clock.instant().plus(Duration.ofHours(5));
        broker.deliverBooking(Json.write(new NextBooking("dev-1", booking, clock.instant())));
        broker.deliverBooking(Json.write(new NextBooking("dev-2", clock.instant().plusSeconds(60), clock.instant()))); // not ours

        power().check();
        clock.advance(Duration.ofHours(3));
        power().check();

        DeviceState goodbye = lastState();
        assertThat(goodbye.online()).isFalse();
        assertThat(goodbye.powerState()).isEqualTo("SLEEP");
        assertThat(goodbye.nextWake()).isEqualTo(booking.minus(Duration.ofMinutes(15)));
        assertThat(broker.suspended).isTrue();
        assertThat(agent.isConnected()).isFalse();
        assertThat(powerEvents()).containsExactly("SLEEP");

        clock.advance(Duration.ofMinutes(104));
        power().check();
        assertThat(broker.suspended).as("still asleep a minute before its wake").isTrue();
        clock.advance(Duration.ofMinutes(1));
        power().check();
        assertThat(broker.suspended).isFalse();
        assertThat(agent.isConnected()).isTrue();
        assertThat(lastState().online()).isTrue();
        assertThat(lastState().powerState()).isEqualTo("NORMAL");
    }

    @Test
    void aCriticalBatteryForTheDelayShutsDown_andARestartStaysOffUntilTheVoltageRecovers() throws Exception {
        agent = agent(Map.of());
        agent.start();
        broker.connect();
        power().check();
        supply.set(11.6);
        power().check();
        clock.advance(Duration.ofSeconds(200));
        power().check();
        assertThat(broker.suspended).as("a dip shorter than the delay changes nothing").isFalse();
        clock.advance(Duration.ofSeconds(40));
        power().check();

        assertThat(power().state()).isEqualTo(PowerState.PROTECT);
        assertThat(lastState().powerState()).isEqualTo("PROTECT");
        assertThat(lastState().nextWake()).isEqualTo(clock.instant().plusSeconds(60));
        assertThat(broker.suspended).isTrue();
        assertThat(Files.exists(dir.resolve(PowerManager.PROTECT_MARKER))).isTrue();

        agent.close();
        agent = agent(Map.of()); // restarted (a power cycle) while the battery is still critical
        agent.start();
        assertThat(broker.started).as("a protected agent does not even connect").isFalse();
        supply.set(12.2);
        clock.advance(Duration.ofMinutes(2));
        power().check();
        assertThat(broker.started).as("above protect but below recover").isFalse();
        supply.set(12.5);
        clock.advance(Duration.ofMinutes(1));
        power().check();
        assertThat(broker.started).isTrue();
        broker.connect();
        assertThat(lastState().online()).isTrue();
        assertThat(lastState().powerState()).isEqualTo("NORMAL");
        assertThat(Files.exists(dir.resolve(PowerManager.PROTECT_MARKER))).isFalse();
    }

    private com.fasterxml.jackson.databind.JsonNode statusFilePower() throws Exception {
        return Json.mapper().readTree(Files.readAllBytes(dir.resolve(io.latchkey.agent.status.StatusFile.FILE_NAME))).path("power");
    }

    @Test
    void statusJsonShowsThePowerState_theBatteryVoltage_theNextWake_andSinceWhen() throws Exception {
        Instant started = clock.instant();
        agent = agent(Map.of());
        agent.start();
        broker.connect(); // writes status.json (on the agent's scheduler, off the connection's thread)
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> Files.exists(dir.resolve(io.latchkey.agent.status.StatusFile.FILE_NAME))
                        && statusFilePower().path("state").asText().equals("NORMAL"));
        com.fasterxml.jackson.databind.JsonNode power = statusFilePower();
        assertThat(power.path("state").asText()).isEqualTo("NORMAL");
        assertThat(Instant.parse(power.path("since").asText())).isEqualTo(started);
        assertThat(power.path("nextWake").isNull() || power.path("nextWake").isMissingNode()).isTrue();

        supply.set(12.4);
        power().check();
        assertThat(agent.status().power().batteryVolts()).isEqualTo(12.4);
        clock.advance(Duration.ofHours(3));
        Instant asleep = clock.instant();
        power().check(); // falls asleep: the goodbye writes status.json

        power = statusFilePower();
        assertThat(power.path("state").asText()).isEqualTo("SLEEP");
        assertThat(power.path("batteryVolts").asDouble()).isEqualTo(12.4);
        assertThat(Instant.parse(power.path("since").asText())).isEqualTo(asleep);
        assertThat(Instant.parse(power.path("nextWake").asText())).isEqualTo(power().nextWake()).isAfter(asleep);

        supply.set(11.5);
        power().check();
        clock.advance(Duration.ofMinutes(5));
        Instant protectedAt = clock.instant();
        power().check();
        assertThat(agent.status().power().state()).isEqualTo("PROTECT");
        assertThat(agent.status().power().batteryVolts()).isEqualTo(11.5);
        assertThat(agent.status().power().since()).isEqualTo(protectedAt);

        agent.close();
        clock.advance(Duration.ofHours(1));
        agent = agent(Map.of()); // restarted while still critical: since is when protection began, not the restart
        agent.start();
        assertThat(agent.status().power().state()).isEqualTo("PROTECT");
        assertThat(agent.status().power().since()).isEqualTo(protectedAt);
    }
}
