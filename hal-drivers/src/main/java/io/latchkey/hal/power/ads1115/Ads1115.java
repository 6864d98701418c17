package io.latchkey.hal.power.ads1115;

/**
 * The TI ADS1115's registers and fields (datasheet SBAS444, section 8.6): a 16-bit ADC on I2C with a 4-input
 * multiplexer and a programmable-gain amplifier. Registers are 16 bits, sent most significant byte first.
 */
public final class Ads1115 {
    /** Address pointer: the conversion result, two's complement. */
    public static final int CONVERSION = 0x00;
    /** Address pointer: the configuration register. */
    public static final int CONFIG = 0x01;

    /** OS: written 1 starts a single conversion; read 0 while converting, 1 when idle (result ready). */
    public static final int OS = 1 << 15;
    /** MODE: 1 = single-shot / power-down (about 0.5 µA between conversions), 0 = continuous. */
    public static final int MODE_SINGLE = 1 << 8;
    /** COMP_QUE = 11: comparator off, ALERT/RDY high impedance. */
    public static final int COMPARATOR_OFF = 0b11;
    /** The power-on value of the configuration register. */
    public static final int RESET_CONFIG = 0x8583;

    /** The input address pins give: ADDR to GND, VDD, SDA, SCL. */
    public static final int[] ADDRESSES = {0x48, 0x49, 0x4A, 0x4B};

    /** The PGA's full-scale ranges, volts, by the code in bits 11:9 (101, 110 and 111 are all ±0.256 V). */
    public enum Gain {
        FSR_6_144(0b000, 6.144), FSR_4_096(0b001, 4.096), FSR_2_048(0b010, 2.048), FSR_1_024(0b011, 1.024),
        FSR_0_512(0b100, 0.512), FSR_0_256(0b101, 0.256);

        public final int code;
        public final double fullScale;

        Gain(int code, double fullScale) {
            this.code = code;
            this.fullScale = fullScale;
        }

        /** Volts per count: the full scale over 2^15. */
        public double lsb() {
            return fullScale / 32768.0;
        }

        /** The range named by its full scale in volts ({@code 4.096}). */
        public static Gain of(double volts) {
            for (Gain g : values()) {
                if (Math.abs(g.fullScale - volts) < 1e-6) {
                    return g;
                }
            }
            throw new IllegalArgumentException("not an ADS1115 range: " + volts + " V (6.144, 4.096, 2.048, 1.024, 0.512, 0.256)");
        }

        /** The range a configuration register's PGA field selects. */
        public static Gain ofConfig(int config) {
            int code = (config >> 9) & 0b111;
            return code >= 0b101 ? FSR_0_256 : values()[code];
        }
    }

    /** Data rates, samples per second, by the code in bits 7:5. */
    public static final int[] DATA_RATES = {8, 16, 32, 64, 128, 250, 475, 860};

    private Ads1115() {
    }

    /** MUX bits 14:12 for a single-ended input AINn against GND: 100 + n. */
    public static int singleEnded(int channel) {
        if (channel < 0 || channel > 3) {
            throw new IllegalArgumentException("ADS1115 input AIN" + channel + ": the chip has AIN0 to AIN3");
        }
        return (0b100 | channel) << 12;
    }

    /** The configuration that starts one single-ended conversion of {@code channel} at {@code gain} and 128 SPS. */
    public static int singleShot(int channel, Gain gain) {
        return OS | singleEnded(channel) | gain.code << 9 | MODE_SINGLE | 0b100 << 5 | COMPARATOR_OFF;
    }
}
