package io.latchkey.simulator.scenario;

import io.latchkey.protocol.Json;
import io.latchkey.simulator.api.ApiTypes.Booking;
import io.latchkey.simulator.api.ApiTypes.CommandResponse;
import io.latchkey.simulator.api.ApiTypes.EndAnswer;
import io.latchkey.simulator.api.LatchkeyClient;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The end-of-rental round trip against one simulated car, parked and closed: again and again a borrower reserves the
 * car now, UNLOCKs it (the rental starts, {@code ACTIVE}) and ends the rental ({@code POST /bookings/{id}/end}: the
 * car checks itself, locks, the booking is {@code ENDED} and the receipt is built). Measured by the caller: the end
 * route's HTTP round trip, and, as the reference in the same run, the UNLOCK's. Waiting for the booking to read
 * {@code ACTIVE} between the two is not measured. Every outcome is counted; a rental that does not end (after one
 * unmeasured retry) stops the run, since the car then stays rented.
 */
public final class RentalBenchmark {
    /** How long one rental may take to read ACTIVE after its UNLOCK executed. */
    static final Duration START_WAIT = Duration.ofSeconds(10);

    /** The figures, in milliseconds, ready for docs/benchmarks.md; {@code outcomes} counts what each call answered. */
    public record Result(int count, int completed, long pulseMs, Figures end, Figures unlock, Map<String, Integer> outcomes) {
        public boolean allEnded() {
            return completed == count;
        }

        public String toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("benchmark", "end-of-rental-round-trip");
            m.put("count", count);
            m.put("completed", completed);
            m.put("pulseMs", pulseMs);
            m.put("endRoundTrip", end.asMap());
            m.put("unlockRoundTrip", unlock.asMap());
            m.put("outcomes", outcomes);
            return new String(Json.write(m), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** Percentiles of one route's round trip, milliseconds. */
    public record Figures(int samples, double p50Ms, double p95Ms, double p99Ms, double maxMs, double meanMs) {
        static Figures of(long[] micros) {
            if (micros.length == 0) {
                return new Figures(0, 0, 0, 0, 0, 0);
            }
            Percentiles p = new Percentiles(micros);
            return new Figures(micros.length, ms(p.at(50)), ms(p.at(95)), ms(p.at(99)), ms(p.max()), Math.round(p.mean()) / 1000.0);
        }

        Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("samples", samples);
            m.put("p50Ms", p50Ms);
            m.put("p95Ms", p95Ms);
            m.put("p99Ms", p99Ms);
            m.put("maxMs", maxMs);
            m.put("meanMs", meanMs);
            return m;
        }
    }

    private final LatchkeyClient api;
    private final PrintStream out;
    private final Clock clock;

    public RentalBenchmark(LatchkeyClient api, PrintStream out, Clock clock) {
        this.api = api;
        this.out = out;
        this.clock = clock;
    }

    /** {@code count} measured rentals after {@code warmup} unmeasured ones, on the world's first car. */
    public Result run(World w, int count, int warmup, long pulseMs) {
        String carId = w.car(0).id();
        Map<String, Integer> outcomes = new TreeMap<>();
        long[] endMicros = new long[count];
        long[] unlockMicros = new long[count];
        int completed = 0;
        int measured = 0;
        for (int i = 0; i < warmup + count; i++) {
            boolean counted = i >= warmup;
            long[] rt = rental(w, carId, counted ? outcomes : new TreeMap<>());
            if (rt == null) {
                break;
            }
            if (counted) {
                unlockMicros[measured] = rt[0];
                endMicros[measured] = rt[1];
                measured++;
                completed++;
            }
        }
        Result result = new Result(count, completed, pulseMs, Figures.of(Arrays.copyOf(endMicros, measured)),
                Figures.of(Arrays.copyOf(unlockMicros, measured)), outcomes);
        out.println();
        out.printf("End-of-rental round trip, %d sequential rentals of one car (after %d warm-up), relay pulse %d ms: %d ended%n",
                count, warmup, pulseMs, completed);
        out.printf("                 %10s %10s%n", "end", "unlock");
        out.printf("  p50            %7.2f ms %7.2f ms%n", result.end().p50Ms(), result.unlock().p50Ms());
        out.printf("  p95            %7.2f ms %7.2f ms%n", result.end().p95Ms(), result.unlock().p95Ms());
        out.printf("  p99            %7.2f ms %7.2f ms%n", result.end().p99Ms(), result.unlock().p99Ms());
        out.printf("  max            %7.2f ms %7.2f ms%n", result.end().maxMs(), result.unlock().maxMs());
        out.printf("  mean           %7.2f ms %7.2f ms%n", result.end().meanMs(), result.unlock().meanMs());
        out.printf("  outcomes: %s%n", outcomes);
        out.println(result.toJson());
        return result;
    }

    /** One rental: {@code [unlockMicros, endMicros]}, or null when it could not be completed (counted in outcomes). */
    private long[] rental(World w, String carId, Map<String, Integer> outcomes) {
        Instant now = clock.instant();
        Booking b;
        try {
            b = api.reserveNow(w.borrowerToken(), w.tenant(), carId, now.plus(Duration.ofMinutes(30)));
        } catch (RuntimeException e) {
            count(outcomes, "RESERVE_FAILED");
            out.println("bench-rental: reservation failed: " + e.getMessage());
            return null;
        }
        CommandResponse unlock = api.command(w.borrowerToken(), w.tenant(), carId, "UNLOCK");
        count(outcomes, "UNLOCK_" + (unlock.executed() ? "EXECUTED" : unlock.result() != null ? unlock.result().outcome()
                : "HTTP_" + unlock.status()));
        if (!unlock.executed() || !active(w, b.id())) {
            count(outcomes, "RENTAL_NOT_STARTED");
            out.println("bench-rental: the rental of " + b.id() + " did not start; stopping");
            cancelQuietly(w, b.id());
            return null;
        }
        long start = System.nanoTime();
        EndAnswer end = api.endBooking(w.borrowerToken(), w.tenant(), b.id());
        long endMicros = (System.nanoTime() - start) / 1_000;
        count(outcomes, "END_" + describe(end));
        if (!end.isEnded()) {
            EndAnswer again = api.endBooking(w.borrowerToken(), w.tenant(), b.id());
            count(outcomes, "END_RETRY_" + describe(again));
            out.println("bench-rental: the end of " + b.id() + " answered " + describe(end) + " " + end.failed()
                    + (end.problem() != null ? " " + end.problem() : "") + "; stopping");
            return null;
        }
        if (end.receipt() == null || end.booking() == null || !"ENDED".equals(end.booking().state())) {
            count(outcomes, "END_WITHOUT_RECEIPT");
        }
        return new long[] {unlock.roundTripMicros(), endMicros};
    }

    private boolean active(World w, String bookingId) {
        Instant deadline = clock.instant().plus(START_WAIT);
        while (clock.instant().isBefore(deadline)) {
            if ("ACTIVE".equals(api.booking(w.borrowerToken(), w.tenant(), bookingId).state())) {
                return true;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private void cancelQuietly(World w, String bookingId) {
        try {
            api.cancelBooking(w.operatorToken(), w.tenant(), bookingId);
        } catch (RuntimeException e) {
            out.println("bench-rental: could not cancel " + bookingId + ": " + e.getMessage());
        }
    }

    /** {@code ENDED}, {@code REFUSED:<first failed check's kind>}, or {@code HTTP_<status>}. */
    static String describe(EndAnswer a) {
        if (a.isEnded()) {
            return "ENDED";
        }
        if (a.isRefusedByTheCar()) {
            String first = a.failed() == null || a.failed().isEmpty() ? "?" : a.failed().get(0);
            int colon = first.indexOf(':');
            return "REFUSED_" + (colon > 0 ? first.substring(0, colon) : first);
        }
        return "HTTP_" + a.status();
    }

    private static void count(Map<String, Integer> outcomes, String key) {
        outcomes.merge(key, 1, Integer::sum);
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
