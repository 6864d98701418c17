package io.latchkey.simulator.scenario;

import io.latchkey.protocol.Json;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * How a scenario went, as JSON and as a table. {@link #passed} requires: no telemetry record lost or
 * duplicated, every command answered or cleanly timed out, no command executed after its expiry (or
 * without an answer to account for it), the fleet drained, and (with rentals) every expected rental outcome
 * seen and no forbidden one (see {@code ScenarioRunner}).
 */
public record ScenarioReport(String name, int cars, int durationSeconds, double setupSeconds, Telemetry telemetry,
                             Commands commands, People people, Rentals rentals, List<String> faultTimeline, long drainMillis,
                             List<String> failures) {

    /**
     * The rental life cycle: each outcome ({@code people.RentalLog.Outcome}) with how often it happened, and the first
     * surprises (errors, refusals that should not be) in words. Null when the scenario has no rentals.
     */
    public record Rentals(java.util.Map<String, Long> outcomes, List<String> surprises) {
        public long count(String outcome) {
            return outcomes.getOrDefault(outcome, 0L);
        }
    }

    /** @param issues up to 10 cars with lost or duplicated records, described */
    public record Telemetry(long stored, long lastSeqSum, long lost, long duplicated, long pendingAtEnd, List<String> issues) {
    }

    public record Commands(long sent, long executed, long timedOut504, long rejected502, long failed409, long notSent503,
                           long unanswered,
                           long executedAfterExpiry, long unexplainedActivations, long expiredRefusals,
                           long relayActivations, double p50Ms, double p95Ms, double p99Ms, double maxMs) {
    }

    public record People(int borrowers, long trips, long abandonedTrips, int operators, long operatorRequests,
                         long operatorErrors) {
    }

    public boolean passed() {
        return failures.isEmpty();
    }

    public String toJson() {
        return new String(Json.write(this), StandardCharsets.UTF_8);
    }

    public void print(PrintStream out) {
        out.println();
        out.printf("Scenario %s: %d cars, %d s (set-up %.1f s)%n", name, cars, durationSeconds, setupSeconds);
        out.println("  telemetry (every sequence number, store vs. car journals)");
        row(out, "records stored", telemetry.stored());
        row(out, "lost", telemetry.lost());
        row(out, "duplicated in the store", telemetry.duplicated());
        row(out, "still in journals at the end", telemetry.pendingAtEnd());
        telemetry.issues().forEach(i -> out.println("      " + i));
        out.println("  commands (API answers vs. what the cars did)");
        row(out, "sent", commands.sent());
        row(out, "executed (200)", commands.executed());
        row(out, "timed out (504)", commands.timedOut504());
        row(out, "refused by the car (502)", commands.rejected502());
        row(out, "failed on the car (409)", commands.failed409());
        row(out, "not sent, broker unreachable (503)", commands.notSent503());
        row(out, "unanswered (no 200/409/502/503/504)", commands.unanswered());
        row(out, "relay activations", commands.relayActivations());
        row(out, "executed after expiry", commands.executedAfterExpiry());
        row(out, "activations without an answer", commands.unexplainedActivations());
        row(out, "late deliveries refused EXPIRED", commands.expiredRefusals());
        out.printf("    %-36s p50 %.1f  p95 %.1f  p99 %.1f  max %.1f%n", "round trip of executed (ms)",
                commands.p50Ms(), commands.p95Ms(), commands.p99Ms(), commands.maxMs());
        out.println("  people");
        row(out, "borrowers / trips / abandoned", people.borrowers() + " / " + people.trips() + " / " + people.abandonedTrips());
        row(out, "operators / requests / errors", people.operators() + " / " + people.operatorRequests() + " / " + people.operatorErrors());
        if (rentals != null) {
            out.println("  rentals (what the renters, no-shows, overdue drivers and operators saw)");
            rentals.outcomes().forEach((k, v) -> row(out, k.toLowerCase().replace('_', ' '), v));
            rentals.surprises().forEach(x -> out.println("      " + x));
        }
        row(out, "drained after faults lifted (ms)", drainMillis < 0 ? "NOT DRAINED" : drainMillis);
        out.println(passed() ? "  PASSED" : "  FAILED:");
        failures.forEach(f -> out.println("    - " + f));
    }

    private static void row(PrintStream out, String label, Object value) {
        out.printf("    %-36s %s%n", label, value);
    }
}
