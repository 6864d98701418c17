package io.latchkey.simulator.scenario;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Runs a scenario's steps in order and prints each one readably: its number, what it does, ok or
 * FAILED, and indented details. The first failed step stops the scenario, since later steps build on
 * the earlier ones.
 */
public final class Steps {
    /** One step as it went. */
    public record Step(int number, String title, boolean ok, String detail) {
    }

    /** Thrown by a check inside a step to fail it with a message. */
    public static final class StepFailed extends RuntimeException {
        public StepFailed(String message) {
            super(message);
        }
    }

    private final PrintStream out;
    private final List<Step> steps = new ArrayList<>();

    public Steps(PrintStream out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    /** Runs one step; returns its value, or throws {@link StepFailed} after printing the failure. */
    public <T> T run(String title, Supplier<T> action) {
        int number = steps.size() + 1;
        out.printf("%2d. %s%n", number, title);
        out.flush();
        try {
            T value = action.get();
            steps.add(new Step(number, title, true, null));
            out.println("    ok");
            return value;
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            steps.add(new Step(number, title, false, message));
            out.println("    FAILED: " + message);
            throw e instanceof StepFailed f ? f : new StepFailed(title + ": " + message);
        }
    }

    public void run(String title, Runnable action) {
        run(title, () -> {
            action.run();
            return null;
        });
    }

    /** Prints a detail line under the current step. */
    public void detail(String format, Object... args) {
        out.println("    " + String.format(format, args));
    }

    public static void check(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new StepFailed(String.format(format, args));
        }
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    public boolean allOk() {
        return !steps.isEmpty() && steps.stream().allMatch(Step::ok);
    }
}
