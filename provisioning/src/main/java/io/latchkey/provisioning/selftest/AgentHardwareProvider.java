package io.latchkey.provisioning.selftest;

import io.latchkey.hal.HalException;
import io.latchkey.hal.Registration;
import io.latchkey.hal.assembly.HardwareConfig;
import io.latchkey.hal.assembly.HardwareFactory;
import io.latchkey.hal.config.ConfigException;
import io.latchkey.hal.config.ConfigFile;
import io.latchkey.hal.gpio.pi4j.Pi4jGpio;
import io.latchkey.hal.vehicle.AgentSignals;
import io.latchkey.hal.gpio.DigitalInput;
import io.latchkey.hal.vehicle.MutableVehicleSignals;
import io.latchkey.hal.vehicle.Vss;
import io.latchkey.provisioning.bundle.BundleLayout;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The device's own hardware, opened exactly as the agent opens it: the {@code hardware.*} keys of the bundle's
 * {@code agent.properties} through the hardware assembly the agent uses too ({@link HardwareFactory}: Pi4J/gpiod relays and
 * inputs, NMEA or gpsd GNSS, SocketCAN with the car's profile, or the parts the config names {@code simulated}). Found by
 * {@link java.util.ServiceLoader}; {@code selftest} uses it unless {@code --simulated} is given.
 */
public final class AgentHardwareProvider implements HardwareProvider {
    @Override
    public String name() {
        return "agent";
    }

    /** @throws HalException naming the key or driver that failed (config error, no GPIO chip, no CAN interface...) */
    @Override
    public Hardware open(Path bundle) {
        Path file = bundle.resolve(BundleLayout.AGENT_CONFIG);
        HardwareConfig hw;
        try {
            Map<String, String> values = ConfigFile.read(file);
            if (values.keySet().stream().noneMatch(k -> k.startsWith(HardwareConfig.PREFIX))) {
                throw new HalException(file + " has no hardware.* keys (hardware.locks, hardware.gnss, ...), so the agent"
                        + " would not know its hardware either");
            }
            hw = HardwareConfig.parse(values, file.toAbsolutePath().getParent());
        } catch (ConfigException e) {
            throw new HalException(file + ": " + e.getMessage(), e);
        }
        io.latchkey.hal.assembly.Hardware agent;
        try {
            agent = new HardwareFactory(Clock.systemUTC(), () -> Pi4jGpio.gpiod(hw.gpioDebounce())).create(hw);
        } catch (RuntimeException | LinkageError e) {
            throw new HalException("hardware.locks=" + label(hw.locks()) + ", hardware.gnss=" + label(hw.gnss()) + ", hardware.can="
                    + label(hw.can()) + ": " + (e instanceof HalException ? e.getMessage() : e.toString()), e);
        }
        MutableVehicleSignals signals = agent.signals();
        agent.supplyVoltage().ifPresent(supply -> supply.volts().ifPresent(v -> signals.update(Vss.SUPPLY_VOLTAGE, v)));
        DigitalInput keyHolder = hw.pin(HardwareConfig.KEY_IN_HOLDER).isPresent()
                ? new SignalInput(HardwareConfig.KEY_IN_HOLDER, AgentSignals.KEY_IN_HOLDER, signals) : null;
        return new Hardware(agent.doorLocks(), signals, agent.gnss(), keyHolder);
    }

    private static String label(Enum<?> e) {
        return e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The key-holder contact as the agent sees it: the signal its GPIO input drives. */
    private record SignalInput(String name, String signal, MutableVehicleSignals signals) implements DigitalInput {
        @Override
        public boolean isActive() {
            return signals.value(signal).orElse(0.0) >= 0.5;
        }

        @Override
        public Registration addListener(Consumer<Boolean> listener) {
            return Registration.NONE;
        }
    }
}
