package io.latchkey.hal.power.ads1115;

import com.pi4j.io.i2c.I2C;
import io.latchkey.hal.power.SupplyVoltage;
import java.util.Objects;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The car's 12 V supply read through an ADS1115 behind a resistor divider (docs/installer-guide.md, "Battery voltage
 * sensor"): each reading starts one single-shot conversion (the chip powers down between readings), waits for the
 * OS bit, reads the conversion register and scales it by the range's LSB, the divider's ratio and the calibration
 * factor. A chip that does not answer, or never finishes, gives an empty reading (unknown, never "low"); the I2C
 * errors are logged once per run of failures.
 */
public final class Ads1115SupplyVoltage implements SupplyVoltage {
    private static final Logger LOG = LoggerFactory.getLogger(Ads1115SupplyVoltage.class);
    /** At 128 SPS a conversion takes about 8 ms; polls of the OS bit, 2 ms apart, before giving up. */
    static final int POLLS = 20;

    private final I2C i2c;
    private final Ads1115Settings settings;
    private final Sleeper sleeper;
    private boolean failing;

    /** Pauses between polls of the OS bit; the tests' stand-in needs none. */
    public interface Sleeper {
        void sleepMillis(long millis) throws InterruptedException;
    }

    public Ads1115SupplyVoltage(I2C i2c, Ads1115Settings settings) {
        this(i2c, settings, Thread::sleep);
    }

    public Ads1115SupplyVoltage(I2C i2c, Ads1115Settings settings, Sleeper sleeper) {
        this.i2c = Objects.requireNonNull(i2c, "i2c");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    @Override
    public synchronized OptionalDouble volts() {
        try {
            OptionalDouble v = read();
            if (failing && v.isPresent()) {
                LOG.info("{}: reading again", name());
                failing = false;
            }
            return v;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalDouble.empty();
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("{}: no reading: {}", name(), e.toString());
                failing = true;
            }
            return OptionalDouble.empty();
        }
    }

    private OptionalDouble read() throws InterruptedException {
        int config = Ads1115.singleShot(settings.channel(), settings.gain());
        writeWord(Ads1115.CONFIG, config);
        for (int i = 0; i < POLLS; i++) {
            if ((readWord(Ads1115.CONFIG) & Ads1115.OS) != 0) {
                short raw = (short) readWord(Ads1115.CONVERSION);
                return OptionalDouble.of(settings.volts(raw));
            }
            sleeper.sleepMillis(2);
        }
        if (!failing) {
            LOG.warn("{}: conversion did not finish", name());
            failing = true;
        }
        return OptionalDouble.empty();
    }

    private void writeWord(int register, int value) {
        i2c.writeRegister(register, new byte[] {(byte) (value >> 8), (byte) value}, 0, 2);
    }

    private int readWord(int register) {
        byte[] b = new byte[2];
        int n = i2c.readRegister(register, b, 0, 2);
        if (n != 2) {
            throw new IllegalStateException("short read of register " + register + ": " + n + " byte(s)");
        }
        return (b[0] & 0xFF) << 8 | (b[1] & 0xFF);
    }

    @Override
    public String name() {
        return String.format("ads1115@0x%02x/AIN%d", settings.address(), settings.channel());
    }
}
