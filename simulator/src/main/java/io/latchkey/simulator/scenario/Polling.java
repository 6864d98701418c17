package io.latchkey.simulator.scenario;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for something the backend learns asynchronously (a device coming online, a state update). */
final class Polling {
    private Polling() {
    }

    static void until(Duration timeout, BooleanSupplier condition, String failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new Steps.StepFailed(failure + " (waited " + timeout.toMillis() + " ms)");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Steps.StepFailed("interrupted while waiting: " + failure);
            }
        }
    }
}
