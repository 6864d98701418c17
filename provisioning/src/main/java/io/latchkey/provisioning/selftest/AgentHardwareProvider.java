package io.latchkey.provisioning.selftest;

import io.latchkey.agent.config.AgentConfig;
import io.latchkey.agent.config.AgentConfigException;
import io.latchkey.agent.config.AgentConfigLoader;
import io.latchkey.agent.hardware.HardwareConfig;
import io.latchkey.agent.hardware.HardwareFactory;
import io.latchkey.agent.hardware.pi4j.Pi4jGpio;
import io.latchkey.agent.vehicle.AgentSignals;
import io.latchkey.hal.HalException;
import io.latchkey.hal.Registration;
import io.latchkey.hal.gpio.DigitalInput;
import io.latchkey.hal.vehicle.MutableVehicleSignals;
import io.latchkey.hal.vehicle.Vss;
import io.latchkey.provisioning.bundle.BundleLayout;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * The device's own hardware, opened exactly as the agent opens it: the {@code hardware.*} keys of the bundle's
 * {@code agent.properties} through the agent's {@link HardwareFactory} (Pi4J/gpiod relays and inputs, NMEA or
 * gpsd GNSS, SocketCAN with the car's profile, or the parts the config names {@code simulated}). Found by
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
        AgentConfig config;
        try {
            config = AgentConfigLoader.load(file);
        } catch (AgentConfigException e) {
            throw new HalException(file + ": " + e.getMessage(), e);
        }
        HardwareConfig hw = config.hardware().orElseThrow(() -> new HalException(file
                + " has no hardware.* keys (hardware.locks, hardware.gnss, ...), so the agent would not know its hardware either"));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "selftest-hardware");
            t.setDaemon(true);
            return t;
        });
        io.latchkey.agent.hardware.Hardware agent;
        try {
            agent = new HardwareFactory(Clock.systemUTC(), scheduler, () -> Pi4jGpio.gpiod(hw.gpioDebounce())).create(hw);
        } catch (RuntimeException | LinkageError e) {
            scheduler.shutdownNow();
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
