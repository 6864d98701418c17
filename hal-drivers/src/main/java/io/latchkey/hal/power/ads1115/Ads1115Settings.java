package io.latchkey.hal.power.ads1115;

/**
 * How the ADS1115 is wired ({@code hardware.power.ads1115.*}): I2C bus and address, the input the divider's midpoint
 * goes to, the range, the divider's resistors (ohms; the battery on top, ground at the bottom) and a calibration factor
 * (a multimeter's reading at the battery over the agent's, once per kit; 1.0 with 1 % resistors is within about 2 %).
 */
public record Ads1115Settings(int bus, int address, int channel, Ads1115.Gain gain, double dividerTop, double dividerBottom,
                              double calibration) {
    public Ads1115Settings {
        boolean known = false;
        for (int a : Ads1115.ADDRESSES) {
            known |= a == address;
        }
        if (!known) {
            throw new IllegalArgumentException(String.format("not an ADS1115 address: 0x%02x (0x48 to 0x4b)", address));
        }
        Ads1115.singleEnded(channel);
        if (dividerTop < 0 || dividerBottom <= 0 || calibration <= 0) {
            throw new IllegalArgumentException("divider resistors and calibration must be positive");
        }
    }

    /** The default kit: bus 1, ADDR to GND (0x48), AIN0, ±4.096 V, 100 kΩ over 22 kΩ, uncalibrated. */
    public static Ads1115Settings defaults() {
        return new Ads1115Settings(1, 0x48, 0, Ads1115.Gain.FSR_4_096, 100_000, 22_000, 1.0);
    }

    /** What the divider multiplies the battery's voltage by on its way to the ADC input. */
    public double ratio() {
        return dividerBottom / (dividerTop + dividerBottom);
    }

    /** The battery's voltage for a conversion result. */
    public double volts(short raw) {
        return raw * gain.lsb() / ratio() * calibration;
    }

    /** The highest battery voltage this wiring can measure before the range clips (or the input leaves 0..VDD). */
    public double maxVolts(double vdd) {
        return Math.min(gain.fullScale, vdd) / ratio() * calibration;
    }
}
