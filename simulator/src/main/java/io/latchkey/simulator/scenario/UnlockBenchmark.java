package io.latchkey.simulator.scenario;

import io.latchkey.protocol.Json;
import io.latchkey.simulator.api.ApiTypes.CommandResponse;
import io.latchkey.simulator.api.LatchkeyClient;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sequential UNLOCKs by a booked borrower against one simulated car: the HTTP round trip measured by
 * the caller (request in, command signed and published, relay pulsed, feedback read, ack back,
 * answer out). Warm-up requests are not counted.
 */
public final class UnlockBenchmark {
    /** The figures, in milliseconds, ready for docs/benchmarks.md. */
    public record Result(int count, int failures, long pulseMs, double p50Ms, double p95Ms, double p99Ms, double maxMs,
                         double meanMs, double backendP50Ms, double backendP99Ms) {
        public String toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("benchmark", "unlock-round-trip");
            m.put("count", count);
            m.put("failures", failures);
            m.put("pulseMs", pulseMs);
            m.put("p50Ms", p50Ms);
            m.put("p95Ms", p95Ms);
            m.put("p99Ms", p99Ms);
            m.put("maxMs", maxMs);
            m.put("meanMs", meanMs);
            m.put("backendElapsedP50Ms", backendP50Ms);
            m.put("backendElapsedP99Ms", backendP99Ms);
            return new String(Json.write(m), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private final LatchkeyClient api;
    private final PrintStream out;
    private final Clock clock;

    public UnlockBenchmark(LatchkeyClient api, PrintStream out, Clock clock) {
        this.api = api;
        this.out = out;
        this.clock = clock;
    }

    public Result run(World w, int count, int warmup, long pulseMs) {
        String carId = w.car(0).id();
        api.book(w.borrowerToken(), w.tenant(), carId, clock.instant().minus(Duration.ofMinutes(1)),
                clock.instant().plus(Duration.ofHours(2)));
        for (int i = 0; i < warmup; i++) {
            api.command(w.borrowerToken(), w.tenant(), carId, "UNLOCK");
        }
        long[] micros = new long[count];
        long[] backendMs = new long[count];
        int failures = 0;
        for (int i = 0; i < count; i++) {
            CommandResponse r = api.command(w.borrowerToken(), w.tenant(), carId, "UNLOCK");
            micros[i] = r.roundTripMicros();
            backendMs[i] = r.result() == null || r.result().elapsedMs() == null ? -1 : r.result().elapsedMs();
            if (!r.executed()) {
                failures++;
            }
        }
        Percentiles p = new Percentiles(micros);
        Percentiles backend = new Percentiles(backendMs);
        Result result = new Result(count, failures, pulseMs, ms(p.at(50)), ms(p.at(95)), ms(p.at(99)), ms(p.max()),
                Math.round(p.mean()) / 1000.0, backend.at(50), backend.at(99));
        out.println();
        out.printf("Unlock round trip, %d sequential requests (after %d warm-up), relay pulse %d ms, %d failure(s)%n",
                count, warmup, pulseMs, failures);
        out.printf("  p50 %8.2f ms%n  p95 %8.2f ms%n  p99 %8.2f ms%n  max %8.2f ms%n  mean %7.2f ms%n",
                result.p50Ms(), result.p95Ms(), result.p99Ms(), result.maxMs(), result.meanMs());
        out.printf("  as the backend reports it (command sent -> ack, elapsedMs): p50 %.0f ms, p99 %.0f ms%n",
                result.backendP50Ms(), result.backendP99Ms());
        out.println(result.toJson());
        return result;
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
