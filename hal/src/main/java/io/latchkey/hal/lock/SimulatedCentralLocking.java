package io.latchkey.hal.lock;

import io.latchkey.hal.gpio.SimulatedDigitalInput;
import io.latchkey.hal.gpio.SimulatedDigitalOutput;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * The car's side of the lock wiring, simulated: when the unlock relay energises the central locking
 * unlocks and the feedback contact opens; when the lock relay energises it locks, unless a door is
 * open, in which case (as in most cars) it stays unlocked. The agent drives it through the real
 * {@link RelayDoorLocks}, so the same code runs here as on a Pi.
 */
public final class SimulatedCentralLocking {
    private final SimulatedDigitalOutput unlockRelay = new SimulatedDigitalOutput("unlock-relay");
    private final SimulatedDigitalOutput lockRelay = new SimulatedDigitalOutput("lock-relay");
    private final SimulatedDigitalInput lockedFeedback;
    private final BooleanSupplier doorOpen;

    /**
     * @param initiallyLocked the feedback at power-up
     * @param doorOpen        whether any door is open right now (blocks locking)
     */
    public SimulatedCentralLocking(boolean initiallyLocked, BooleanSupplier doorOpen) {
        this.lockedFeedback = new SimulatedDigitalInput("locked-feedback", initiallyLocked);
        this.doorOpen = Objects.requireNonNull(doorOpen, "doorOpen");
        unlockRelay.onChange(on -> {
            if (on) {
                lockedFeedback.drive(false);
            }
        });
        lockRelay.onChange(on -> {
            if (on && !this.doorOpen.getAsBoolean()) {
                lockedFeedback.drive(true);
            }
        });
    }

    /** The real relay driver over the simulated lines. */
    public RelayDoorLocks doorLocks(Duration pulse) {
        return new RelayDoorLocks(unlockRelay, lockRelay, lockedFeedback, pulse, RelayDoorLocks.Pause.THREAD_SLEEP);
    }

    public SimulatedDigitalOutput unlockRelay() {
        return unlockRelay;
    }

    public SimulatedDigitalOutput lockRelay() {
        return lockRelay;
    }

    public SimulatedDigitalInput lockedFeedback() {
        return lockedFeedback;
    }

    public boolean isLocked() {
        return lockedFeedback.isActive();
    }
}
