package io.latchkey.provisioning.selftest;

import io.latchkey.hal.Registration;

import io.latchkey.hal.gnss.Gnss;
import io.latchkey.hal.gnss.GnssFix;
import io.latchkey.hal.gpio.SimulatedDigitalInput;
import io.latchkey.hal.gpio.SimulatedDigitalOutput;
import io.latchkey.hal.lock.RelayDoorLocks;
import io.latchkey.hal.vehicle.MutableVehicleSignals;
import io.latchkey.hal.vehicle.Vss;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A healthy simulated car, for trying the tool on a laptop ({@code selftest --simulated}): relays
 * whose feedback follows them, a few CAN signals, a GNSS fix and the key in its holder. Never chosen
 * unless asked for.
 */
public final class SimulatedHardwareProvider implements HardwareProvider {
    @Override
    public String name() {
        return "simulated";
    }

    /** The VSS paths the bundle's vehicle profile decodes: the simulated car sends each of them. */
    private static java.util.List<String> profileSignals(Path bundle) {
        java.util.List<String> vss = new java.util.ArrayList<>();
        Path profile = bundle.resolve(io.latchkey.provisioning.bundle.BundleLayout.VEHICLE_PROFILE);
        if (java.nio.file.Files.isRegularFile(profile)) {
            try {
                io.latchkey.protocol.Json.mapper().readTree(profile.toFile()).path("signals")
                        .forEach(s -> vss.add(s.isObject() ? s.path("vss").asText() : s.asText()));
            } catch (java.io.IOException e) {
                // A damaged profile: the signals check reports what is missing.
            }
        }
        return vss;
    }

    @Override
    public Hardware open(Path bundle) {
        SimulatedDigitalOutput unlock = new SimulatedDigitalOutput("unlock-relay");
        SimulatedDigitalOutput lock = new SimulatedDigitalOutput("lock-relay");
        SimulatedDigitalInput feedback = new SimulatedDigitalInput("lock-feedback", true);
        unlock.onChange(on -> {
            if (on) {
                feedback.drive(false);
            }
        });
        lock.onChange(on -> {
            if (on) {
                feedback.drive(true);
            }
        });
        MutableVehicleSignals signals = new MutableVehicleSignals();
        signals.update(Vss.SPEED, 0.0);
        signals.update(Vss.TRAVELED_DISTANCE, 12034.5);
        signals.update(Vss.SUPPLY_VOLTAGE, 12.6);
        profileSignals(bundle).forEach(vss -> {
            if (signals.value(vss).isEmpty()) {
                signals.update(vss, 0.0);
            }
        });
        SimulatedDigitalInput keyHolder = new SimulatedDigitalInput("key-holder", true);
        GnssFix fix = new GnssFix(Instant.now(), GnssFix.MODE_3D, 52.52, 13.405, 34.0, 0.0, 0.0);
        Gnss gnss = new Gnss() {
            @Override
            public Optional<GnssFix> latest() {
                return Optional.of(fix);
            }

            @Override
            public Registration addListener(Consumer<GnssFix> listener) {
                // The fix never changes.
                return Registration.NONE;
            }
        };
        return new Hardware(new RelayDoorLocks(unlock, lock, feedback, Duration.ZERO, RelayDoorLocks.Pause.THREAD_SLEEP), signals, gnss, keyHolder);
    }
}
