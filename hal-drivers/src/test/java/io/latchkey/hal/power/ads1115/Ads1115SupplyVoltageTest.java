package io.latchkey.hal.power.ads1115;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.plugin.mock.platform.MockPlatform;
import io.latchkey.hal.assembly.HardwareConfig;
import io.latchkey.hal.config.ConfigException;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Ads1115SupplyVoltageTest {
    private final Context context = Pi4J.newContextBuilder().noAutoDetect().add(new MockPlatform()).build();
    private final Ads1115Chip chip = new Ads1115Chip(context, 1, 0x48);
    private final Ads1115Settings kit = Ads1115Settings.defaults();
    private int sleeps;
    private final Ads1115SupplyVoltage sensor = new Ads1115SupplyVoltage(chip, kit, ms -> sleeps++);

    @AfterEach
    void close() {
        context.shutdown();
    }

    /** The divider's output for a battery voltage, as the chip's input sees it. */
    private double atInput(double battery) {
        return battery * 22_000 / 122_000;
    }

    @Test
    void writesTheDatasheetsSingleShotConfig_forAin0AtFourVolts() {
        chip.input(0, atInput(12.6));
        sensor.volts();
        // OS=1, MUX=100 (AIN0/GND), PGA=001 (±4.096 V), MODE=1, DR=100 (128 SPS), comparator off
        assertThat(chip.configWrites).containsExactly(0b1_100_001_1_100_00011);
        assertThat(chip.configWrites.get(0)).isEqualTo(0xC383);
        assertThat(Ads1115.Gain.ofConfig(chip.configRegister())).isEqualTo(Ads1115.Gain.FSR_4_096);
        assertThat(Ads1115.singleShot(3, Ads1115.Gain.FSR_2_048)).isEqualTo(0xF583);
        assertThat(Ads1115.Gain.ofConfig(Ads1115.RESET_CONFIG)).as("power-on range").isEqualTo(Ads1115.Gain.FSR_2_048);
    }

    @Test
    void readsTheBatteryThroughTheDividerWithinOneCount() {
        for (double battery : new double[] {11.5, 11.9, 12.2, 12.6, 14.4}) {
            chip.input(0, atInput(battery));
            OptionalDouble v = sensor.volts();
            // one count at ±4.096 V is 125 µV at the input, 0.69 mV at the battery
            assertThat(v).isPresent();
            assertThat(v.getAsDouble()).isCloseTo(battery, within(0.001));
        }
    }

    @Test
    void theConversionRegisterIsTwosComplementMostSignificantByteFirst() {
        chip.input(0, 2.048); // half of ±4.096: code 0x4000
        sensor.volts();
        byte[] b = new byte[2];
        chip.readRegister(Ads1115.CONVERSION, b, 0, 2);
        assertThat(b).containsExactly(0x40, 0x00);
        chip.input(0, -0.1); // below GND (a reversed probe): negative code, negative reading
        assertThat(sensor.volts().getAsDouble()).isLessThan(0);
        chip.readRegister(Ads1115.CONVERSION, b, 0, 2);
        assertThat(b[0] & 0x80).as("sign bit").isNotZero();
    }

    @Test
    void aVoltageBeyondTheRangeClipsAtFullScale_soTheWiringsLimitIsKnown() {
        chip.input(0, 5.0); // above ±4.096
        assertThat(sensor.volts().getAsDouble()).isCloseTo(32767 * Ads1115.Gain.FSR_4_096.lsb() / kit.ratio(), within(1e-6));
        assertThat(kit.maxVolts(3.3)).as("the input must stay below VDD: 3.3 V at the input is 18.3 V at the battery")
                .isCloseTo(18.3, within(0.01));
    }

    @Test
    void eachRangeScalesByItsOwnLsb() {
        Ads1115SupplyVoltage fine = new Ads1115SupplyVoltage(chip,
                new Ads1115Settings(1, 0x48, 2, Ads1115.Gain.FSR_6_144, 100_000, 22_000, 1.0), ms -> { });
        chip.input(2, atInput(13.0));
        assertThat(fine.volts().getAsDouble()).isCloseTo(13.0, within(0.002)); // 187.5 µV a count
        assertThat(Ads1115.Gain.ofConfig(chip.configRegister())).isEqualTo(Ads1115.Gain.FSR_6_144);
        assertThat(Ads1115.Gain.FSR_0_256.lsb()).isEqualTo(0.256 / 32768);
    }

    @Test
    void waitsForTheOsBit_andGivesUpAsUnknown_neverAsLow() {
        chip.input(0, atInput(12.4));
        chip.busyFor(3);
        assertThat(sensor.volts().getAsDouble()).isCloseTo(12.4, within(0.001));
        assertThat(sleeps).isEqualTo(3);
        chip.busyFor(Ads1115SupplyVoltage.POLLS + 1);
        assertThat(sensor.volts()).isEmpty();
    }

    @Test
    void anUnpluggedChipIsAnEmptyReading_notAnException() {
        chip.unplug();
        assertThat(sensor.volts()).isEmpty();
        assertThat(sensor.name()).isEqualTo("ads1115@0x48/AIN0");
    }

    @Test
    void calibrationScalesTheReading() {
        Ads1115SupplyVoltage calibrated = new Ads1115SupplyVoltage(chip,
                new Ads1115Settings(1, 0x48, 0, Ads1115.Gain.FSR_4_096, 100_000, 22_000, 1.02), ms -> { });
        chip.input(0, atInput(12.0));
        assertThat(calibrated.volts().getAsDouble()).isCloseTo(12.24, within(0.002));
    }

    @Test
    void hardwareConfigReadsTheWiring_andRefusesWhatTheChipCannotBe() {
        HardwareConfig c = HardwareConfig.parse(Map.of("hardware.locks", "simulated", "hardware.gnss", "simulated",
                "hardware.power", "ads1115", "hardware.power.ads1115.address", "0x49", "hardware.power.ads1115.channel", "1",
                "hardware.power.ads1115.gain", "6.144", "hardware.power.ads1115.divider-top", "47000",
                "hardware.power.ads1115.divider-bottom", "10000"), null);
        assertThat(c.power()).isEqualTo(HardwareConfig.Power.ADS1115);
        assertThat(c.ads1115()).isEqualTo(new Ads1115Settings(1, 0x49, 1, Ads1115.Gain.FSR_6_144, 47_000, 10_000, 1.0));
        Map<String, String> base = Map.of("hardware.locks", "simulated", "hardware.gnss", "simulated", "hardware.power", "ads1115");
        for (Map.Entry<String, String> bad : Map.of("hardware.power.ads1115.address", "0x50", "hardware.power.ads1115.gain", "5",
                "hardware.power.ads1115.channel", "4", "hardware.power.ads1115.divider-bottom", "0").entrySet()) {
            java.util.Map<String, String> m = new java.util.HashMap<>(base);
            m.put(bad.getKey(), bad.getValue());
            assertThatThrownBy(() -> HardwareConfig.parse(m, null)).as(bad.toString()).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("hardware.power.ads1115");
        }
    }
}
