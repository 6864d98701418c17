package io.latchkey.provisioning;

import java.io.PrintWriter;
import java.util.function.Function;
import java.util.function.Supplier;

/** Numbered step lines, so an installer sees where a long operation is and where it stopped. */
public final class Progress {
    private final PrintWriter out;
    private final int total;
    private int step;

    public Progress(PrintWriter out, int total) {
        this.out = out;
        this.total = total;
    }

    /** Runs one step: prints what it does, then its one-line result, or "failed" before the failure propagates. */
    public <T> T run(String what, Supplier<T> action, Function<T, String> result) {
        step++;
        out.printf("[%d/%d] %s ... ", step, total, what);
        out.flush();
        T value;
        try {
            value = action.get();
        } catch (RuntimeException e) {
            out.println("failed");
            out.flush();
            throw e;
        }
        out.println(result.apply(value));
        out.flush();
        return value;
    }

    public void run(String what, Runnable action, String result) {
        run(what, () -> {
            action.run();
            return null;
        }, ignored -> result);
    }

    public void note(String line) {
        out.println("      " + line);
        out.flush();
    }
}
