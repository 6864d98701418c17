package io.latchkey.simulator.people;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Sleeps that end early when the scenario stops. */
final class Pacing {
    private Pacing() {
    }

    /** Returns false if {@code stop} became true (or the thread was interrupted) before the time was up. */
    static boolean sleep(Duration d, BooleanSupplier stop) {
        long deadline = System.nanoTime() + d.toNanos();
        while (!stop.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            try {
                Thread.sleep(Math.min(200, Math.max(1, left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
