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
    public record Legs(String commandId, Instant sentAt, long outMicros, long carMicros, long backMicros, Phases phases) {
        public Legs(String commandId, Instant sentAt, long outMicros, long carMicros, long backMicros) {
            this(commandId, sentAt, outMicros, carMicros, backMicros, Phases.NONE);
        }

        long total() {
            return outMicros + carMicros + backMicros;
        }
    }

    /**
     * The instants inside the legs, where known (null otherwise): the car's "begun" record started and
     * forced; the backend's {@code issuedAt} (request checked, before the command is recorded and signed),
     * {@code receivedAt} (its MQTT client handed over the car's answer, before verifying it) and
     * {@code answeredAt} (the car's signed answer verified and taken).
     */
    public record Phases(Instant begunStarted, Instant begunDurable, Instant issued, Instant backendReceived,
                         Instant backendAnswered) {
        static final Phases NONE = new Phases(null, null, null, null, null);
    }

    /**
     * What the backend recorded for a command: when it issued it, when its MQTT client handed over the car's
     * answer (null from a backend that does not record it) and when it took the answer.
     */
    public record BackendInstants(Instant issuedAt, Instant receivedAt, Instant answeredAt) {
    }

    /**
     * What a car's ledger shows of one command, on its clock: its first reception, its first answer that was not a
     * duplicate, and its "begun" record (null where it wrote none). Written by fleet processes for the benchmark
     * ({@code FleetWorkerMain}'s {@code commands}), so that a fleet split over processes is broken down too.
     */
    public record CarInstants(Instant received, Instant answered, Instant begunStarted, Instant begunDurable) {
        /** The command's instants in this ledger, if the car received and answered it. */
        public static Optional<CarInstants> of(CarLedger ledger, String commandId) {
            Optional<Instant> received = ledger.received().stream().filter(r -> commandId.equals(r.id()))
                    .map(CarLedger.Received::receivedAt).findFirst();
            Optional<Instant> answered = ledger.answers().stream()
                    .filter(a -> commandId.equals(a.commandId()) && !a.duplicate())
                    .map(CarLedger.Answered::at).min(Comparator.naturalOrder());
            if (received.isEmpty() || answered.isEmpty()) {
                return Optional.empty();
            }
            Optional<CarLedger.Begun> begun = ledger.begun(commandId);
            return Optional.of(new CarInstants(received.get(), answered.get(),
                    begun.map(CarLedger.Begun::startedAt).orElse(null), begun.map(CarLedger.Begun::durableAt).orElse(null)));
        }

        /** Every command the ledger shows received and answered, by id. */
        public static Map<String, CarInstants> all(CarLedger ledger) {
            Map<String, CarInstants> all = new LinkedHashMap<>();
            ledger.received().forEach(r -> of(ledger, r.id()).ifPresent(i -> all.putIfAbsent(r.id(), i)));
            return all;
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
        return of(entries, ledgerOfCar, id -> Optional.empty());
    }

    /** As {@link #of(List, Function)}, with the backend's instants of each command id where it has them. */
    public static UnlockBreakdown of(List<CommandLog.Entry> entries, Function<String, Optional<CarLedger>> ledgerOfCar,
                                     Function<String, Optional<BackendInstants>> backendOf) {
        return ofInstants(entries, (carId, commandId) -> ledgerOfCar.apply(carId).flatMap(l -> CarInstants.of(l, commandId)),
                backendOf);
    }

    /**
     * As {@link #of(List, Function, Function)}, with each command's instants on the car from wherever they were
     * collected (the fleet's processes).
     *
     * @param carOf the car's instants of a command, by the car's API id and the command id
     */
    public static UnlockBreakdown ofInstants(List<CommandLog.Entry> entries,
                                             java.util.function.BiFunction<String, String, Optional<CarInstants>> carOf,
                                             Function<String, Optional<BackendInstants>> backendOf) {
        List<Legs> legs = new ArrayList<>();
        int unmatched = 0;
        for (CommandLog.Entry e : entries) {
            if (e.status() != 200 || e.commandId() == null || e.roundTripMicros() < 0) {
                continue;
            }
            Optional<CarInstants> car = carOf.apply(e.carId(), e.commandId());
            if (car.isEmpty()) {
                unmatched++;
                continue;
            }
            Instant received = car.get().received();
            Instant answered = car.get().answered();
            Instant responded = e.sentAt().plus(Duration.ofNanos(e.roundTripMicros() * 1000));
            Optional<BackendInstants> backend = backendOf.apply(e.commandId());
            Phases phases = new Phases(car.get().begunStarted(), car.get().begunDurable(),
                    backend.map(BackendInstants::issuedAt).orElse(null),
                    backend.map(BackendInstants::receivedAt).orElse(null), backend.map(BackendInstants::answeredAt).orElse(null));
            legs.add(new Legs(e.commandId(), e.sentAt(), micros(e.sentAt(), received), micros(received, answered),
                    micros(answered, responded), phases));
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
        List<Legs> timed = legs.stream().filter(l -> l.phases().begunDurable() != null).toList();
        if (!timed.isEmpty()) {
            r.put("car: to the begun record / begun record forced / relay and answer p50 / p99 ms",
                    p50p99(timed, l -> micros(received(l), l.phases().begunStarted())) + " / "
                            + p50p99(timed, l -> micros(l.phases().begunStarted(), l.phases().begunDurable())) + " / "
                            + p50p99(timed, l -> micros(l.phases().begunDurable(), answered(l))));
        }
        List<Legs> backend = legs.stream().filter(l -> l.phases().issued() != null && l.phases().backendAnswered() != null).toList();
        if (!backend.isEmpty()) {
            r.put("out: request to issued / issued to car p50 / p99 ms",
                    p50p99(backend, l -> micros(l.sentAt(), l.phases().issued())) + " / "
                            + p50p99(backend, l -> micros(l.phases().issued(), received(l))));
            r.put("back: answer to backend / backend to response p50 / p99 ms",
                    p50p99(backend, l -> micros(answered(l), l.phases().backendAnswered())) + " / "
                            + p50p99(backend, l -> micros(l.phases().backendAnswered(), responded(l))));
            List<Legs> received = backend.stream().filter(l -> l.phases().backendReceived() != null).toList();
            if (!received.isEmpty()) {
                // the answer's way split at the backend's MQTT client: broker (and the simulator's event loops)
                // before, the backend's verification and hand-off after
                r.put("back: answer to backend's client / client to verified and taken p50 / p99 ms",
                        p50p99(received, l -> micros(answered(l), l.phases().backendReceived())) + " / "
                                + p50p99(received, l -> micros(l.phases().backendReceived(), l.phases().backendAnswered())));
            }
        }
        List<Legs> slow = slowest();
        r.put("slowest 1 % (" + slow.size() + "): mean out / car / back ms", String.format("%.1f / %.1f / %.1f",
                mean(slow, Legs::outMicros), mean(slow, Legs::carMicros), mean(slow, Legs::backMicros)));
        // When each of them was sent (UTC), to line them up with GC logs, flight recordings and fsyncs.
        r.put("slowest 1 %: sent at, out / car / back ms", slow.stream().map(l -> String.format("%s %.1f / %.1f / %.1f",
                l.sentAt(), l.outMicros() / 1000.0, l.carMicros() / 1000.0, l.backMicros() / 1000.0)).toList());
        return r;
    }

    private static Instant received(Legs l) {
        return l.sentAt().plusNanos(l.outMicros() * 1000);
    }

    private static Instant answered(Legs l) {
        return received(l).plusNanos(l.carMicros() * 1000);
    }

    private static Instant responded(Legs l) {
        return answered(l).plusNanos(l.backMicros() * 1000);
    }

    /**
     * One line per command (times in µs from the request, blank where unknown): request, issued by the
     * backend, received by the car, begun record started, begun record forced, answer published, answer
     * handed over by the backend's MQTT client, answer taken by the backend, response; to line the slow ones up with
     * GC logs, flight recordings and packet captures.
     */
    public String csv() {
        StringBuilder b = new StringBuilder("command,sent_at,issued,car_received,begun_started,begun_durable,car_answered,"
                + "backend_received,backend_answered,responded\n");
        for (Legs l : legs) {
            Phases p = l.phases();
            b.append(l.commandId()).append(',').append(l.sentAt()).append(',').append(at(l, p.issued())).append(',')
                    .append(at(l, received(l))).append(',').append(at(l, p.begunStarted())).append(',')
                    .append(at(l, p.begunDurable())).append(',').append(at(l, answered(l))).append(',')
                    .append(at(l, p.backendReceived())).append(',').append(at(l, p.backendAnswered())).append(',')
                    .append(at(l, responded(l))).append('\n');
        }
        return b.toString();
    }

    private static String at(Legs l, Instant t) {
        return t == null ? "" : Long.toString(Duration.between(l.sentAt(), t).toNanos() / 1000);
    }

    private String p50p99(ToLongFunction<Legs> leg) {
        return p50p99(legs, leg);
    }

    private static String p50p99(List<Legs> legs, ToLongFunction<Legs> leg) {
        Percentiles p = new Percentiles(legs.stream().mapToLong(leg).toArray());
        return String.format("%.1f / %.1f", p.at(50) / 1000.0, p.at(99) / 1000.0);
    }

    private static double mean(List<Legs> legs, ToLongFunction<Legs> leg) {
        return legs.stream().mapToLong(leg).average().orElse(0) / 1000.0;
    }
}
