package io.latchkey.provisioning.selftest;

import io.latchkey.hal.gnss.GnssFix;
import io.latchkey.hal.lock.LockState;
import io.latchkey.hal.vehicle.Vss;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** The checks that exercise the car: locks, CAN signals, GNSS, key holder, supply voltage. */
public final class HardwareChecks {
    public static final double MIN_SUPPLY_VOLTS = 11.5;
    public static final double MAX_SUPPLY_VOLTS = 15.0;

    private HardwareChecks() {
    }

    /** Unlock, confirm from feedback, lock, confirm: ends with the car locked. */
    public static Check locks(Hardware hw, Waiter waiter, Duration feedbackTimeout) {
        return check("Door locks", () -> {
            if (hw.locks() == null) {
                return CheckResult.fail("Door locks", "no lock driver", "check the relay board connection and the agent's GPIO configuration");
            }
            hw.locks().pulseUnlock();
            if (!waiter.await(() -> hw.locks().state() == LockState.UNLOCKED, feedbackTimeout)) {
                return CheckResult.fail("Door locks", "unlock pulsed, feedback still " + hw.locks().state() + " after " + feedbackTimeout.toMillis() + " ms",
                        "check the unlock relay wiring (in parallel with the fob's unlock button) and the lock feedback input");
            }
            hw.locks().pulseLock();
            if (!waiter.await(() -> hw.locks().state() == LockState.LOCKED, feedbackTimeout)) {
                return CheckResult.fail("Door locks", "lock pulsed, feedback still " + hw.locks().state() + " after " + feedbackTimeout.toMillis() + " ms",
                        "check the lock relay wiring and that all doors are closed");
            }
            return CheckResult.pass("Door locks", "unlocked and locked, confirmed by feedback");
        });
    }

    /** Every signal the vehicle profile names is seen on the CAN bus. */
    public static Check signals(Hardware hw, Waiter waiter, List<String> expected, Duration timeout) {
        return check("CAN signals", () -> {
            if (hw.signals() == null) {
                return CheckResult.fail("CAN signals", "no CAN driver", "check the CAN interface (can0) and its wiring to the OBD/CAN tap");
            }
            waiter.await(() -> hw.signals().snapshot().keySet().containsAll(expected), timeout);
            TreeSet<String> missing = new TreeSet<>(expected);
            missing.removeAll(hw.signals().snapshot().keySet());
            if (!missing.isEmpty()) {
                return CheckResult.fail("CAN signals", "not seen within " + timeout.toSeconds() + " s: " + String.join(", ", missing),
                        "switch the ignition on, check the CAN tap and that the vehicle profile matches this car model");
            }
            return CheckResult.pass("CAN signals", expected.size() + " of " + expected.size() + " profile signals seen");
        });
    }

    public static Check gnss(Hardware hw, Waiter waiter, Duration timeout) {
        return check("GNSS fix", () -> {
            if (hw.gnss() == null) {
                return CheckResult.fail("GNSS fix", "no GNSS receiver", "check the GNSS receiver's cable and serial port (or gpsd)");
            }
            if (!waiter.await(() -> hw.gnss().latest().map(GnssFix::hasPosition).orElse(false), timeout)) {
                String seen = hw.gnss().latest().map(f -> "mode " + f.mode()).orElse("no report");
                return CheckResult.fail("GNSS fix", "no position fix within " + timeout.toSeconds() + " s (" + seen + ")",
                        "move the car into the open or relocate the antenna away from metal, then run selftest again");
            }
            GnssFix fix = hw.gnss().latest().orElseThrow();
            return CheckResult.pass("GNSS fix", String.format("%s fix at %.5f, %.5f", fix.mode() == GnssFix.MODE_3D ? "3D" : "2D", fix.lat(), fix.lon()));
        });
    }

    public static Check keyHolder(Hardware hw) {
        return check("Key in holder", () -> {
            if (hw.keyHolder() == null) {
                return CheckResult.fail("Key in holder", "no key-holder input", "check the key-holder switch wiring");
            }
            return hw.keyHolder().isActive()
                    ? CheckResult.pass("Key in holder", "key detected")
                    : CheckResult.fail("Key in holder", "no key detected", "put the car key in its holder; if it is there, check the holder switch");
        });
    }

    public static Check supplyVoltage(Hardware hw, Waiter waiter, Duration timeout) {
        return check("Supply voltage", () -> {
            if (hw.signals() == null) {
                return CheckResult.fail("Supply voltage", "no vehicle signals", "check the CAN interface");
            }
            waiter.await(() -> hw.signals().value(Vss.SUPPLY_VOLTAGE).isPresent(), timeout);
            Optional<Double> volts = hw.signals().value(Vss.SUPPLY_VOLTAGE);
            if (volts.isEmpty()) {
                return CheckResult.fail("Supply voltage", "no reading of " + Vss.SUPPLY_VOLTAGE, "check the supply sense wiring");
            }
            double v = volts.get();
            if (v < MIN_SUPPLY_VOLTS || v > MAX_SUPPLY_VOLTS) {
                return CheckResult.fail("Supply voltage", String.format("%.1f V, outside %.1f-%.1f V", v, MIN_SUPPLY_VOLTS, MAX_SUPPLY_VOLTS),
                        "check the battery and the device's fused supply; a low battery will stop the car opening");
            }
            return CheckResult.pass("Supply voltage", String.format("%.1f V", v));
        });
    }

    static Check check(String name, java.util.function.Supplier<CheckResult> body) {
        return new Check() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public CheckResult run() {
                return body.get();
            }
        };
    }
}
