package io.latchkey.hal.power.ads1115;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.i2c.I2C;
import io.latchkey.hal.HalException;

/** Opens the ADS1115 on {@code /dev/i2c-<bus>} through Pi4J's Linux file-system I2C provider; closing releases it. */
public final class Ads1115I2c implements AutoCloseable {
    public static final String PROVIDER = "linuxfs-i2c";

    private final Context context;
    private final I2C i2c;

    private Ads1115I2c(Context context, I2C i2c) {
        this.context = context;
        this.i2c = i2c;
    }

    public static Ads1115I2c open(Ads1115Settings settings) {
        Context context = null;
        try {
            context = Pi4J.newContextBuilder().noAutoDetect()
                    .add(com.pi4j.plugin.linuxfs.provider.i2c.LinuxFsI2CProvider.newInstance())
                    .build();
            I2C i2c = context.create(I2C.newConfigBuilder(context).id("ads1115").name("ADS1115 supply voltage")
                    .bus(settings.bus()).device(settings.address()).provider(PROVIDER));
            return new Ads1115I2c(context, i2c);
        } catch (RuntimeException | LinkageError e) {
            if (context != null) {
                context.shutdown();
            }
            throw new HalException(String.format("cannot open the ADS1115 at 0x%02x on /dev/i2c-%d (is I2C enabled, "
                    + "dtparam=i2c_arm=on, and may this user open it?): %s", settings.address(), settings.bus(), e), e);
        }
    }

    public I2C i2c() {
        return i2c;
    }

    @Override
    public void close() {
        context.shutdown();
    }
}
