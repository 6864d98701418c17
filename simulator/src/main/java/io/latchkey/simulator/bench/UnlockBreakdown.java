package io.latchkey.simulator.bench;

import io.latchkey.simulator.audit.CarLedger;
import io.latchkey.simulator.people.CommandLog;
import io.latchkey.simulator.scenario.Percentiles;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Where an unlock's round trip went, command by command, from three instants on the simulator's one
 * clock: the caller sent the request, the car received the command, the car published its answer.
 * <ul>
 *   <li>{@code out}: HTTP request, token and booking checks, the PENDING record, signing, the broker's
 *       delivery to the car;</li>
 *   <li>{@code car}: the agent's signature check, its "begun" record (forced), the relay, the lock
 *       feedback;</li>
 *   <li>{@code back}: the broker's delivery of the answer, the backend's car-state update, the HTTP
 *       response.</li>
 * </ul>
 * The slowest 1 % of the commands are split the same way, to show which leg makes the tail.
 */
public final class UnlockBreakdown {
    /** One executed command's three legs, in microseconds, and when the caller sent it. */
    public record Legs(String commandId, Instant sentAt, long outMicros, long carMicros, long backMicros) {
        long total() {
            return outMicros + carMicros + backMicros;
        }
    }

    private final List<Legs> legs;
    private final int unmatched;

    private UnlockBreakdown(List<Legs> legs, int unmatched) {
        this.legs = List.copyOf(legs);
        this.unmatched = unmatched;
    }

    /**
     * Matches every executed (HTTP 200) command of the log with the car's first reception of it and the
     * car's first non-duplicate answer to it.
     *
     * @param ledgerOfCar the ledger of the car with that API id, if it is one of this process's cars
     */
    public static UnlockBreakdown of(List<CommandLog.Entry> entries, Function<String, Optional<CarLedger>> ledgerOfCar) {
        List<Legs> legs = new ArrayList<>();
        int unmatched = 0;
        for (CommandLog.Entry e : entries) {
            if (e.status() != 200 || e.commandId() == null || e.roundTripMicros() < 0) {
                continue;
            }
            Optional<CarLedger> ledger = ledgerOfCar.apply(e.carId());
            Optional<Instant> received = ledger.flatMap(l -> l.received().stream()
                    .filter(r -> e.commandId().equals(r.id())).map(CarLedger.Received::receivedAt).findFirst());
            Optional<Instant> answered = ledger.flatMap(l -> l.answers().stream()
                    .filter(a -> e.commandId().equals(a.commandId()) && !a.duplicate())
                    .map(CarLedger.Answered::at).min(Comparator.naturalOrder()));
            if (received.isEmpty() || answered.isEmpty()) {
                unmatched++;
                continue;
            }
            Instant responded = e.sentAt().plus(Duration.ofNanos(e.roundTripMicros() * 1000));
            legs.add(new Legs(e.commandId(), e.sentAt(), micros(e.sentAt(), received.get()), micros(received.get(), answered.get()),
                    micros(answered.get(), responded)));
        }
        return new UnlockBreakdown(legs, unmatched);
    }

    private static long micros(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toNanos() / 1000);
    }

    public List<Legs> legs() {
        return legs;
    }

    /** Executed commands whose reception or answer the car's ledger does not show. */
    public int unmatched() {
        return unmatched;
    }

    /** The slowest 1 % (at least one) of the commands by total round trip, slowest first. */
    public List<Legs> slowest() {
        int n = Math.max(1, (int) Math.ceil(legs.size() / 100.0));
        return legs.stream().sorted(Comparator.comparingLong(Legs::total).reversed()).limit(n).toList();
    }

    /** For the report: p50 and p99 of each leg, and each leg's mean share of the slowest 1 %. */
    public Map<String, Object> report() {
        Map<String, Object> r = new LinkedHashMap<>();
        if (legs.isEmpty()) {
            r.put("commands matched", 0);
            return r;
        }
        r.put("commands matched / unmatched", legs.size() + " / " + unmatched);
        r.put("out (request to car) p50 / p99 ms", p50p99(Legs::outMicros));
        r.put("car (verify, begun record, relay, feedback) p50 / p99 ms", p50p99(Legs::carMicros));
        r.put("back (answer to response) p50 / p99 ms", p50p99(Legs::backMicros));
        List<Legs> slow = slowest();
        r.put("slowest 1 % (" + slow.size() + "): mean out / car / back ms", String.format("%.1f / %.1f / %.1f",
                mean(slow, Legs::outMicros), mean(slow, Legs::carMicros), mean(slow, Legs::backMicros)));
        // When each of them was sent (UTC), to line them up with GC logs, flight recordings and fsyncs.
        r.put("slowest 1 %: sent at, out / car / back ms", slow.stream().map(l -> String.format("%s %.1f / %.1f / %.1f",
                l.sentAt(), l.outMicros() / 1000.0, l.carMicros() / 1000.0, l.backMicros() / 1000.0)).toList());
        return r;
    }

    private String p50p99(ToLongFunction<Legs> leg) {
        Percentiles p = new Percentiles(legs.stream().mapToLong(leg).toArray());
        return String.format("%.1f / %.1f", p.at(50) / 1000.0, p.at(99) / 1000.0);
    }

    private static double mean(List<Legs> legs, ToLongFunction<Legs> leg) {
        return legs.stream().mapToLong(leg).average().orElse(0) / 1000.0;
    }
}
