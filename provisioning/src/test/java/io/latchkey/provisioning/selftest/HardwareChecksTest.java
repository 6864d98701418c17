package io.latchkey.provisioning.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.hal.gpio.SimulatedDigitalInput;
import io.latchkey.hal.gpio.SimulatedDigitalOutput;
import io.latchkey.hal.lock.RelayDoorLocks;
import io.latchkey.hal.vehicle.MutableVehicleSignals;
import io.latchkey.hal.vehicle.Vss;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class HardwareChecksTest {
    /** Time moves only when the waiter sleeps: timeouts pass instantly. */
    private Instant now = Instant.parse("2026-11-23T17:00:00Z");
    private final Waiter waiter = new Waiter(new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }, d -> now = now.plus(d));

    @Test
    void healthySimulatedCar_passesEveryHardwareCheck() {
        Hardware hw = new SimulatedHardwareProvider().open(Path.of("."));

        List<CheckResult> results = run(hw, List.of(Vss.SPEED, Vss.SUPPLY_VOLTAGE));

        assertThat(results).allMatch(CheckResult::passed);
        assertThat(hw.locks().state()).isEqualTo(io.latchkey.hal.lock.LockState.LOCKED);
    }

    @Test
    void lockFeedbackThatNeverMoves_failsAndPointsAtTheWiring() {
        SimulatedDigitalInput stuck = new SimulatedDigitalInput("feedback", true);
        Hardware hw = new Hardware(new RelayDoorLocks(new SimulatedDigitalOutput("u"), new SimulatedDigitalOutput("l"), stuck, Duration.ZERO,
                RelayDoorLocks.Pause.THREAD_SLEEP), null, null, null);

        CheckResult result = HardwareChecks.locks(hw, waiter, Duration.ofSeconds(2)).run();

        assertThat(result.passed()).isFalse();
        assertThat(result.detail()).contains("feedback still LOCKED");
        assertThat(result.hint()).contains("unlock relay wiring");
    }

    @Test
    void missingSignalsLowVoltageNoKeyNoGnss_eachFailWithWhatToDo() {
        MutableVehicleSignals signals = new MutableVehicleSignals();
        signals.update(Vss.SUPPLY_VOLTAGE, 10.9);
        Hardware hw = new Hardware(null, signals, null, new SimulatedDigitalInput("key", false));

        List<CheckResult> results = run(hw, List.of(Vss.SPEED));

        assertThat(results).noneMatch(CheckResult::passed);
        String table = ResultTable.render(results);
        assertThat(table).contains("Door locks", "no lock driver", "Vehicle.Speed", "10.9 V", "no key detected", "no GNSS receiver")
                .contains("5 of 5 checks failed");
    }

    private List<CheckResult> run(Hardware hw, List<String> signals) {
        return new SelfTest(List.of(
                HardwareChecks.locks(hw, waiter, Duration.ofSeconds(2)),
                HardwareChecks.signals(hw, waiter, signals, Duration.ofSeconds(5)),
                HardwareChecks.gnss(hw, waiter, Duration.ofSeconds(30)),
                HardwareChecks.keyHolder(hw),
                HardwareChecks.supplyVoltage(hw, waiter, Duration.ofSeconds(5)))).run(new PrintWriter(new StringWriter()));
    }
}
