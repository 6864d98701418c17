package io.latchkey.cloud.command;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Where one command's time went inside this replica, from the moment {@link CommandService} took the request to the
 * caller's answer: the checks (the car, its state, the caller's right to it), the {@code PENDING} record (where it is
 * written before the publish), the publish, the car (broker, car and back, the answer verified) and the hand-back.
 * A command slower than {@code latchkey.commands.slow-after} is logged with these phases (docs/operations.md, "Slow
 * commands"), so that a slow unlock says whether it waited on the store, the broker or the car.
 *
 * <p>Each mark is taken once, by the thread that reaches it; a phase not reached (a refusal, a timeout) reads as -1.
 */
final class CommandPhases {
    private final long received;
    private final long start = System.nanoTime();
    private volatile long checked;
    private volatile long recorded;
    private volatile long published;
    private volatile long answered;

    CommandPhases() {
        this(0);
    }

    /** @param received the {@link System#nanoTime} the request reached the replica (before authentication), or 0 */
    CommandPhases(long received) {
        this.received = received;
    }

    void checked() {
        checked = System.nanoTime();
    }

    void recorded() {
        recorded = System.nanoTime();
    }

    void published() {
        published = System.nanoTime();
    }

    void answered() {
        answered = System.nanoTime();
    }

    /** Milliseconds from the request (its arrival where known) to now. */
    double totalMs() {
        return ms(received != 0 ? received : start, System.nanoTime());
    }

    /**
     * One line: {@code caller 2.0 ms, checks 3.1 ms, record 8.0 ms, publish 0.2 ms, car 20.5 ms, answer 0.4 ms} (the
     * caller from the request's arrival to the service, where known: authentication and the body; the checks from
     * there; each other phase from the end of the one before; the answer up to {@code end}, a {@link System#nanoTime}).
     */
    String describe(long end) {
        long c = checked != 0 ? checked : start;
        long r = recorded != 0 ? recorded : c;
        return String.format(Locale.ROOT, "caller %s, checks %s, record %s, publish %s, car %s, answer %s",
                phase(received, start), phase(start, checked), phase(c, recorded), phase(r, published), phase(published, answered),
                phase(answered, end));
    }

    private static String phase(long from, long to) {
        return from == 0 || to == 0 ? "-" : String.format(Locale.ROOT, "%.1f ms", ms(from, to));
    }

    private static double ms(long from, long to) {
        return (to - from) / (double) TimeUnit.MILLISECONDS.toNanos(1);
    }
}
