package io.latchkey.simulator.power;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.latchkey.agent.power.PowerSettings;
import io.latchkey.agent.power.PowerState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParkedBatteryTest {
    private final BatteryModel.Spec spec = BatteryModel.Spec.defaults();

    @Test
    void restingVoltageFollowsTheChargeTable() {
        assertThat(new BatteryModel(spec, 1.0).restingVolts()).isCloseTo(12.73, within(1e-9));
        assertThat(new BatteryModel(spec, 0.5).restingVolts()).isCloseTo(12.24, within(1e-9));
        assertThat(new BatteryModel(spec, 0.375).restingVolts()).isCloseTo(12.15, within(1e-9));
        assertThat(new BatteryModel(spec, 0.0).wouldStart()).isFalse();
        assertThat(new BatteryModel(spec, 0.5).wouldStart()).isTrue();
    }

    @Test
    void parkedItDrainsAtTheStatesCurrentPlusTheCars_drivingItRecharges() {
        BatteryModel b = new BatteryModel(spec, 0.5);
        b.step(Duration.ofHours(10), false, PowerState.SLEEP);
        assertThat(b.stateOfCharge()).isCloseTo(0.5 - (0.025 + 0.030) * 10 / 60, within(1e-9));
        assertThat(b.deviceAh().get(PowerState.SLEEP)).isCloseTo(0.25, within(1e-9));
        double before = b.stateOfCharge();
        b.step(Duration.ofMinutes(30), true, PowerState.NORMAL);
        assertThat(b.stateOfCharge()).isCloseTo(before + 10 * 0.85 * 0.5 / 60, within(1e-9));
        assertThat(b.supplyVolts(true)).isEqualTo(BatteryModel.CHARGING_VOLTS);
        b.step(Duration.ofDays(30), true, PowerState.NORMAL);
        assertThat(b.stateOfCharge()).as("never above full").isEqualTo(1.0);
    }

    @Test
    void aCarParkedThirtyDaysWakesForItsBookingAndStarts_whereAnAlwaysOnKitFlattensIt() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        ParkedBattery.Result r = new ParkedBattery(new ParkedBattery.Options(30, 40, 15, spec, PowerSettings.DEFAULTS, 12.2),
                new PrintStream(text, true, StandardCharsets.UTF_8)).run();

        assertThat(r.ok()).isTrue();
        assertThat(r.parked().awakeAtBooking()).isTrue();
        assertThat(r.parked().starts()).isTrue();
        assertThat(r.parked().time().get(PowerState.SLEEP)).isGreaterThan(Duration.ofDays(29));
        assertThat(r.alwaysOn().starts()).isFalse();
        assertThat(r.alwaysOn().endSoc()).isLessThan(r.parked().endSoc());
        Map<PowerState, Double> drain = r.drainPerDayAh();
        assertThat(drain.get(PowerState.NORMAL)).isCloseTo((0.090 + 0.030) * 24, within(1e-6));
        assertThat(drain.get(PowerState.NORMAL)).isGreaterThan(drain.get(PowerState.ECONOMY));
        assertThat(drain.get(PowerState.ECONOMY)).isGreaterThan(drain.get(PowerState.SLEEP));
        assertThat(drain.get(PowerState.SLEEP)).isGreaterThan(drain.get(PowerState.PROTECT));
        assertThat(r.fleet()).hasSize(40);
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("the car starts", "Ah/day", "OK");
    }

    @Test
    void withoutSleepTheSameCarNoLongerStartsAfterThirtyDays() {
        PowerSettings never = PowerSettings.parse(Map.of("power.sleep-after", "3650d"));
        ParkedBattery.Result r = new ParkedBattery(new ParkedBattery.Options(30, 0, 15, spec, never, 12.2),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)).run();
        assertThat(r.parked().starts()).isFalse();
        assertThat(r.ok()).isFalse();
    }
}
