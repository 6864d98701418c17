package io.latchkey.hal.power.ads1115;

import com.pi4j.context.Context;
import com.pi4j.io.i2c.I2C;
import com.pi4j.io.i2c.I2CBase;
import com.pi4j.plugin.mock.provider.i2c.MockI2CBus;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for the ADS1115 behind Pi4J's {@link I2C} interface, behaving as the datasheet (SBAS444) says: the
 * configuration register resets to 0x8583; writing it with OS=1 in single-shot mode starts a conversion, during which
 * OS reads 0 for {@code busyPolls} reads; the result is the analog input (set in volts) quantised at the PGA range
 * the configuration selected, clipped to the range's codes 0x8000..0x7FFF, in two's complement, most significant
 * byte first. Register writes and reads are recorded. {@link #unplug()} makes every transfer fail as a missing chip.
 */
final class Ads1115Chip extends I2CBase<MockI2CBus> {
    private final double[] inputs = new double[4];
    private int config = Ads1115.RESET_CONFIG;
    private int conversion;
    private int busyPolls;
    private int busyLeft;
    private boolean unplugged;
    final List<Integer> configWrites = new ArrayList<>();

    Ads1115Chip(Context context, int bus, int address) {
        this(configOf(context, bus, address));
    }

    private Ads1115Chip(com.pi4j.io.i2c.I2CConfig config) {
        super(MockI2CProvider.newInstance(), config, new MockI2CBus(config));
    }

    private static com.pi4j.io.i2c.I2CConfig configOf(Context context, int bus, int address) {
        return I2C.newConfigBuilder(context).id("ads1115-standin").bus(bus).device(address).build();
    }

    /** The voltage at input AINn, against GND. */
    void input(int channel, double volts) {
        inputs[channel] = volts;
    }

    /** How many reads of the configuration register a conversion stays busy (OS=0). */
    void busyFor(int polls) {
        this.busyPolls = polls;
    }

    void unplug() {
        unplugged = true;
    }

    int configRegister() {
        return config;
    }

    @Override
    public int writeRegister(int register, byte[] data, int offset, int length) {
        check();
        if (length != 2) {
            throw new IllegalStateException("ADS1115 registers are 16 bits; got " + length + " byte(s)");
        }
        int value = (data[offset] & 0xFF) << 8 | (data[offset + 1] & 0xFF);
        if (register == Ads1115.CONFIG) {
            configWrites.add(value);
            config = value & ~Ads1115.OS; // OS reads 0 while converting
            if ((value & Ads1115.OS) != 0 && (value & Ads1115.MODE_SINGLE) != 0) {
                convert();
                busyLeft = busyPolls;
            }
            if (busyLeft == 0) {
                config |= Ads1115.OS;
            }
        } else if (register == 0x02 || register == 0x03) {
            // threshold registers: accepted, unused here
        } else if (register != Ads1115.CONVERSION) {
            throw new IllegalStateException("no register " + register);
        }
        return 2;
    }

    private void convert() {
        int mux = (config >> 12) & 0b111;
        if ((mux & 0b100) == 0) {
            throw new IllegalStateException("stand-in does single-ended inputs only; MUX " + Integer.toBinaryString(mux));
        }
        Ads1115.Gain gain = Ads1115.Gain.ofConfig(config);
        long code = Math.round(inputs[mux & 0b11] / gain.lsb());
        conversion = (int) Math.max(-32768, Math.min(32767, code)) & 0xFFFF;
    }

    @Override
    public int readRegister(int register, byte[] buffer, int offset, int length) {
        check();
        int value;
        if (register == Ads1115.CONFIG) {
            if (busyLeft > 0) {
                busyLeft--;
                value = config & ~Ads1115.OS;
                if (busyLeft == 0) {
                    config |= Ads1115.OS;
                }
            } else {
                value = config | Ads1115.OS;
            }
        } else if (register == Ads1115.CONVERSION) {
            value = conversion;
        } else {
            throw new IllegalStateException("no register " + register);
        }
        buffer[offset] = (byte) (value >> 8);
        if (length > 1) {
            buffer[offset + 1] = (byte) value;
        }
        return Math.min(length, 2);
    }

    private void check() {
        if (unplugged) {
            throw new com.pi4j.io.exception.IOException("I2C transfer failed: no ACK from the device");
        }
    }

    @Override
    public int writeRegister(int register, byte b) {
        throw new UnsupportedOperationException("the ADS1115 takes 16-bit register writes");
    }

    @Override
    public int writeRegister(byte[] register, byte[] data, int offset, int length) {
        return writeRegister(register[0], data, offset, length);
    }

    @Override
    public int readRegister(int register) {
        throw new UnsupportedOperationException("the ADS1115 answers 16-bit register reads");
    }

    @Override
    public int readRegister(byte[] register, byte[] buffer, int offset, int length) {
        return readRegister(register[0], buffer, offset, length);
    }

    @Override
    public int write(byte b) {
        throw new UnsupportedOperationException("pointer-only writes are not used");
    }

    @Override
    public int write(byte[] data, int offset, int length) {
        throw new UnsupportedOperationException("pointer-only writes are not used");
    }

    @Override
    public int read() {
        throw new UnsupportedOperationException("reads go through a register");
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        throw new UnsupportedOperationException("reads go through a register");
    }
}
