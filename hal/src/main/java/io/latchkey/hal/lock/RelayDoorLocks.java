package io.latchkey.hal.lock;

import io.latchkey.hal.Registration;

import io.latchkey.hal.gpio.DigitalInput;
import io.latchkey.hal.gpio.DigitalOutput;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Central locking wired as most aftermarket kits are: one relay in parallel with the key fob's unlock
 * button, one with its lock button, and a feedback contact that is active while the car is locked.
 * The same class runs on a Pi (Pi4J lines) and in the simulator (simulated lines).
 */
public final class RelayDoorLocks implements DoorLocks {
    /** Waits for the length of a pulse; injected so that tests and the simulator need not sleep. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration duration);

        Pause THREAD_SLEEP = d -> {
            if (d.isZero()) {
                return;
            }
            try {
                Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    private final DigitalOutput unlockRelay;
    private final DigitalOutput lockRelay;
    private final DigitalInput lockedFeedback;
    private final Duration pulse;
    private final Pause pause;

    public RelayDoorLocks(DigitalOutput unlockRelay, DigitalOutput lockRelay, DigitalInput lockedFeedback,
                          Duration pulse, Pause pause) {
        this.unlockRelay = Objects.requireNonNull(unlockRelay, "unlockRelay");
        this.lockRelay = Objects.requireNonNull(lockRelay, "lockRelay");
        this.lockedFeedback = Objects.requireNonNull(lockedFeedback, "lockedFeedback");
        this.pulse = Objects.requireNonNull(pulse, "pulse");
        this.pause = Objects.requireNonNull(pause, "pause");
        if (pulse.isNegative()) {
            throw new IllegalArgumentException("pulse must not be negative");
        }
    }

    @Override
    public synchronized void pulseUnlock() {
        pulseRelay(unlockRelay);
    }

    @Override
    public synchronized void pulseLock() {
        pulseRelay(lockRelay);
    }

    private void pulseRelay(DigitalOutput relay) {
        relay.set(true);
        try {
            pause.pause(pulse);
        } finally {
            relay.set(false);
        }
    }

    @Override
    public LockState state() {
        return lockedFeedback.isActive() ? LockState.LOCKED : LockState.UNLOCKED;
    }

    @Override
    public Registration addListener(Consumer<LockState> listener) {
        return lockedFeedback.addListener(active -> listener.accept(active ? LockState.LOCKED : LockState.UNLOCKED));
    }
}
