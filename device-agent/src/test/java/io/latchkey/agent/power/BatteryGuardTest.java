package io.latchkey.agent.power;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.agent.FakeBrokerConnection;
import io.latchkey.agent.events.DeviceEvents;
import io.latchkey.agent.mqtt.BrokerConnection;
import io.latchkey.hal.gnss.FixedGnss;
import io.latchkey.hal.lock.SimulatedCentralLocking;
import io.latchkey.agent.telemetry.InMemorySequenceCounter;
import io.latchkey.agent.telemetry.TelemetryLoop;
import io.latchkey.agent.telemetry.TelemetrySampler;
import io.latchkey.agent.vehicle.VehicleStatus;
import io.latchkey.hal.lock.DoorLocks;
import io.latchkey.hal.power.SimulatedSupplyVoltage;
import io.latchkey.hal.vehicle.MutableVehicleSignals;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.telemetry.DeviceEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BatteryGuardTest {
    private final Clock clock = Clock.systemUTC();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final FakeBrokerConnection broker = new FakeBrokerConnection(new byte[0]);
    private final SimulatedSupplyVoltage supply = new SimulatedSupplyVoltage(12.6);
    private TelemetryLoop loop;
    private BatteryGuard guard;

    @BeforeEach
    void build() {
        broker.start(new BrokerConnection.Listener() {
            @Override
            public void connected() {
            }

            @Override
            public void disconnected(Throwable cause) {
            }

            @Override
            public void command(byte[] payload) {
            }

            @Override
            public void receipt(byte[] payload) {
            }
        });
        broker.connect();
        MutableVehicleSignals signals = new MutableVehicleSignals();
        DoorLocks locks = new SimulatedCentralLocking(true, () -> false).doorLocks(Duration.ZERO);
        VehicleStatus vehicle = new VehicleStatus(signals, new FixedGnss(52.5, 13.4, clock), 3.0, clock);
        loop = new TelemetryLoop(new TelemetrySampler(vehicle, locks, clock), new InMemorySequenceCounter(), r -> { },
                vehicle, locks, scheduler, Runnable::run, Duration.ofSeconds(5), Duration.ofSeconds(60));
        guard = new BatteryGuard(supply, loop, new DeviceEvents(broker, "dev-1", clock), 11.8, 12.2, Duration.ofMinutes(30));
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private java.util.List<String> eventTypes() {
        return broker.on(Channel.EVENT).stream().map(p -> Json.read(p.payload(), DeviceEvent.class).type()).toList();
    }

    @Test
    void belowTheThreshold_parkedTelemetrySlowsDown_andALowVoltageEventIsSentOnce() {
        supply.set(11.5);
        guard.check();
        guard.check();

        assertThat(loop.currentInterval()).isEqualTo(Duration.ofMinutes(30));
        assertThat(eventTypes()).containsExactly(BatteryGuard.LOW_VOLTAGE);
    }

    @Test
    void recovery_needsTheHigherVoltage_soAHoveringSupplyDoesNotFlap() {
        supply.set(11.5);
        guard.check();
        supply.set(11.9);
        guard.check();
        assertThat(guard.isLow()).isTrue();

        supply.set(12.3);
        guard.check();

        assertThat(loop.currentInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(eventTypes()).containsExactly(BatteryGuard.LOW_VOLTAGE, BatteryGuard.VOLTAGE_OK);
    }

    @Test
    void anUnknownReading_changesNothing() {
        supply.fail();
        guard.check();

        assertThat(guard.isLow()).isFalse();
        assertThat(eventTypes()).isEmpty();
    }
}
