package io.latchkey.simulator.power;

import io.latchkey.agent.power.PowerPolicy;
import io.latchkey.agent.power.PowerSettings;
import io.latchkey.agent.power.PowerState;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

/**
 * {@code sim battery}: the agent's own power policy ({@link PowerPolicy}, the {@code power.*} defaults) run against a
 * {@link BatteryModel} in simulated time, a minute a step, no backend needed:
 * <ol>
 *   <li>one car driven for half an hour, then parked for {@code days} with a booking at the end: it must be awake
 *       ({@code NORMAL}) when the booking starts, and its battery must still start it;</li>
 *   <li>the same car with an always-on kit (the device in {@code NORMAL} throughout, as Hourfleet's): the day it
 *       would no longer start;</li>
 *   <li>the parked drain per day in each power state (the device held in that state, plus the car's own draw);</li>
 *   <li>a fleet of {@code fleet} cars over {@code days}, each driven on some days (booked ahead) and parked between:
 *       the time and the charge the fleet's devices spend in each state, and its average draw.</li>
 * </ol>
 * Exit code 0 only if the parked car is awake for its booking and still starts.
 */
public final class ParkedBattery {
    private static final Duration STEP = Duration.ofMinutes(1);
    private static final Instant T0 = Instant.parse("2026-01-05T08:00:00Z");

    public record Options(int days, int fleet, long seed, BatteryModel.Spec spec, PowerSettings power, double lowVolts) {
    }

    /** One car's run: the state it ended in, the time and charge spent per power state. */
    public record Run(double endSoc, double endVolts, boolean starts, boolean awakeAtBooking, Map<PowerState, Duration> time,
                      Map<PowerState, Double> deviceAh, Instant lastStart) {
    }

    public record Result(Run parked, Run alwaysOn, Map<PowerState, Double> drainPerDayAh, List<Run> fleet, boolean ok) {
    }

    /** When a car drives: {@code [start, end)} windows, sorted. */
    record Trips(List<Instant[]> windows) {
        boolean driving(Instant t) {
            for (Instant[] w : windows) {
                if (!t.isBefore(w[0]) && t.isBefore(w[1])) {
                    return true;
                }
            }
            return false;
        }

        /** The next trip's start after {@code t} (its booking's start), or null. */
        Instant nextStart(Instant t) {
            for (Instant[] w : windows) {
                if (w[0].isAfter(t)) {
                    return w[0];
                }
            }
            return null;
        }
    }

    private final Options options;
    private final PrintStream out;

    public ParkedBattery(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public Result run() {
        Duration days = Duration.ofDays(options.days());
        Instant end = T0.plus(days).plus(Duration.ofHours(1));
        // 1. driven half an hour, then parked; booked for the end of the period
        Instant parkedAt = T0.plus(Duration.ofMinutes(30));
        Instant bookingStart = T0.plus(days);
        Trips parkedTrips = new Trips(List.of(new Instant[] {T0, parkedAt}, new Instant[] {bookingStart, bookingStart.plus(Duration.ofMinutes(30))}));
        Run parked = simulate(parkedTrips, bookingStart, false, end, 0.9);
        Run alwaysOn = simulate(parkedTrips, bookingStart, true, end, 0.9);
        Map<PowerState, Double> drain = new EnumMap<>(PowerState.class);
        for (PowerState s : PowerState.values()) {
            BatteryModel b = new BatteryModel(options.spec(), 1.0);
            for (int i = 0; i < 24 * 60; i++) {
                b.step(STEP, false, s);
            }
            drain.put(s, options.spec().capacityAh() * (1.0 - b.stateOfCharge()));
        }
        List<Run> fleet = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(options.seed());
        for (int c = 0; c < options.fleet(); c++) {
            fleet.add(simulate(randomTrips(random.split(), options.days()), null, false, T0.plus(days), 0.6 + 0.35 * random.nextDouble()));
        }
        boolean ok = parked.starts() && parked.awakeAtBooking();
        report(parked, alwaysOn, drain, fleet, ok);
        return new Result(parked, alwaysOn, drain, fleet, ok);
    }

    /** Trips on about half of the days, 20 to 60 minutes, starting between 07:00 and 20:00; one car in ten never moves. */
    static Trips randomTrips(SplittableRandom random, int days) {
        List<Instant[]> windows = new ArrayList<>();
        boolean idle = random.nextInt(10) == 0;
        for (int d = 0; d < days && !idle; d++) {
            if (random.nextDouble() < 0.5) {
                Instant start = T0.minus(Duration.ofHours(1)).plus(Duration.ofDays(d)).plus(Duration.ofMinutes(random.nextInt(13 * 60)));
                windows.add(new Instant[] {start, start.plus(Duration.ofMinutes(20 + random.nextInt(41)))});
            }
        }
        return new Trips(windows);
    }

    /**
     * A minute a step from {@code T0} to {@code end}: the policy (or, {@code alwaysOn}, NORMAL throughout) decides the
     * device's state from the supply voltage, parking and the next booking (the next trip's start, known ahead).
     */
    Run simulate(Trips trips, Instant checkAwakeAt, boolean alwaysOn, Instant end, double startSoc) {
        BatteryModel battery = new BatteryModel(options.spec(), startSoc);
        PowerPolicy policy = new PowerPolicy(options.power(), false);
        Map<PowerState, Duration> time = new EnumMap<>(PowerState.class);
        boolean low = false;
        boolean awakeAtBooking = checkAwakeAt == null;
        boolean startsAtBooking = true;
        Instant stuckUntil = null;
        Instant lastStart = null;
        for (Instant t = T0; t.isBefore(end); t = t.plus(STEP)) {
            boolean driving = trips.driving(t);
            if (driving && !trips.driving(t.minus(STEP))) { // a trip begins: does the car start?
                if (t.equals(checkAwakeAt)) {
                    startsAtBooking = battery.wouldStart();
                }
                if (battery.wouldStart()) {
                    lastStart = t;
                } else {
                    stuckUntil = t;
                }
            }
            if (driving && stuckUntil != null) {
                driving = false; // the borrower could not start it: it stays parked for this trip
            } else if (!driving) {
                stuckUntil = null;
            }
            double v = battery.supplyVolts(driving);
            if (!low && v < options.lowVolts()) {
                low = true;
            } else if (low && v >= options.lowVolts() + 0.4) {
                low = false;
            }
            PowerState s = alwaysOn ? PowerState.NORMAL
                    : policy.update(t, OptionalDouble.of(v), low, !driving, trips.nextStart(t.minus(Duration.ofHours(1)))).state();
            if (checkAwakeAt != null && t.equals(checkAwakeAt.minus(STEP))) {
                awakeAtBooking = s == PowerState.NORMAL || s == PowerState.ECONOMY; // the minute before the borrower arrives
            }
            time.merge(s, STEP, Duration::plus);
            battery.step(STEP, driving, s);
        }
        boolean starts = checkAwakeAt != null ? startsAtBooking : battery.wouldStart();
        return new Run(battery.stateOfCharge(), battery.restingVolts(), starts, awakeAtBooking, time, battery.deviceAh(), lastStart);
    }

    private void report(Run parked, Run alwaysOn, Map<PowerState, Double> drain, List<Run> fleet, boolean ok) {
        BatteryModel.Spec spec = options.spec();
        out.printf(Locale.ROOT, "battery model: %.0f Ah, car's own draw %.0f mA parked; device %s mA; charging %.0f A x %.0f %%%n",
                spec.capacityAh(), spec.carParasiticMa(), currents(spec), spec.chargeA(), spec.chargeEfficiency() * 100);
        out.printf(Locale.ROOT, "power settings: economy after %s, sleep after %s, wake every %s for %s, %s ahead of a booking; "
                        + "protect below %.2f V for %s, until %.2f V%n", human(options.power().economyAfter()), human(options.power().sleepAfter()),
                human(options.power().sleepWakeEvery()), human(options.power().wakeFor()), human(options.power().bookingLead()),
                options.power().protectVolts(), human(options.power().protectDelay()), options.power().recoverVolts());
        out.printf(Locale.ROOT, "%n1. parked %d days with power states: %.1f %% charge, %.2f V at rest; %s at the booking; %s%n",
                options.days(), parked.endSoc() * 100, parked.endVolts(), parked.awakeAtBooking() ? "awake" : "ASLEEP",
                parked.starts() ? "the car starts" : "THE CAR DOES NOT START");
        out.printf(Locale.ROOT, "   time per state: %s%n", times(parked.time()));
        out.printf(Locale.ROOT, "2. the same car with an always-on kit: %.1f %% charge, %.2f V; %s%n", alwaysOn.endSoc() * 100,
                alwaysOn.endVolts(), alwaysOn.starts() ? "starts" : "does not start (flat after "
                        + String.format(Locale.ROOT, "%.1f", daysToFlat(spec, PowerState.NORMAL, 0.9)) + " days parked)");
        out.printf(Locale.ROOT, "3. parked drain per day (device in that state + the car's %.0f mA):%n", spec.carParasiticMa());
        for (PowerState s : PowerState.values()) {
            out.printf(Locale.ROOT, "   %-8s %6.3f Ah/day  (%4.1f %% of %.0f Ah; from 90 %% to %.2f V in %.0f days)%n", s, drain.get(s),
                    drain.get(s) / spec.capacityAh() * 100, spec.capacityAh(), BatteryModel.START_VOLTS, daysToFlat(spec, s, 0.9));
        }
        Map<PowerState, Duration> fleetTime = new EnumMap<>(PowerState.class);
        Map<PowerState, Double> fleetAh = new EnumMap<>(PowerState.class);
        int notStarting = 0;
        int neverDriven = 0;
        double minSoc = 1;
        for (Run r : fleet) {
            r.time().forEach((s, d) -> fleetTime.merge(s, d, Duration::plus));
            r.deviceAh().forEach((s, a) -> fleetAh.merge(s, a, Double::sum));
            notStarting += r.endVolts() < BatteryModel.START_VOLTS ? 1 : 0;
            neverDriven += r.endVolts() < BatteryModel.START_VOLTS && r.lastStart() == null ? 1 : 0;
            minSoc = Math.min(minSoc, r.endSoc());
        }
        double totalHours = fleetTime.values().stream().mapToDouble(d -> d.toMinutes() / 60.0).sum();
        out.printf(Locale.ROOT, "4. fleet of %d cars over %d days (about half the days driven, one car in ten never):%n", fleet.size(), options.days());
        out.printf(Locale.ROOT, "   %-8s %8s %7s %10s %14s%n", "state", "car-h", "share", "device Ah", "device mean A");
        for (PowerState s : PowerState.values()) {
            double hours = fleetTime.getOrDefault(s, Duration.ZERO).toMinutes() / 60.0;
            double ah = fleetAh.getOrDefault(s, 0.0);
            out.printf(Locale.ROOT, "   %-8s %8.0f %6.1f%% %10.1f %15.3f%n", s, hours, hours / totalHours * 100, ah,
                    ah / (options.days() * 24.0));
        }
        out.printf(Locale.ROOT, "   lowest charge at the end %.1f %%; cars that would not start at the end: %d (%d of them never driven in %d days,"
                + " drained by their own %.0f mA once protected)%n", minSoc * 100, notStarting, neverDriven, options.days(), spec.carParasiticMa());
        out.println(ok ? "OK" : "FAILED");
    }

    private static double daysToFlat(BatteryModel.Spec spec, PowerState s, double fromSoc) {
        double perDay = (spec.deviceMa().get(s) + spec.carParasiticMa()) * 24 / 1000.0;
        // the charge at which the resting voltage reaches START_VOLTS: 25 % minus (12.06 - 12.0) over the 0-25 % slope
        double startSoc = 0.25 - (12.06 - BatteryModel.START_VOLTS) / (12.06 - 11.89) * 0.25;
        return (fromSoc - startSoc) * spec.capacityAh() / perDay;
    }

    private static String currents(BatteryModel.Spec spec) {
        StringBuilder b = new StringBuilder();
        for (PowerState s : PowerState.values()) {
            b.append(b.isEmpty() ? "" : ", ").append(s).append(' ').append(String.format(Locale.ROOT, "%.0f", spec.deviceMa().get(s)));
        }
        return b.toString();
    }

    private static String times(Map<PowerState, Duration> time) {
        StringBuilder b = new StringBuilder();
        for (PowerState s : PowerState.values()) {
            b.append(b.isEmpty() ? "" : ", ").append(s).append(' ').append(human(time.getOrDefault(s, Duration.ZERO)));
        }
        return b.toString();
    }

    private static String human(Duration d) {
        if (d.toDays() >= 2) {
            return String.format(Locale.ROOT, "%.1f d", d.toMinutes() / 1440.0);
        }
        if (d.toHours() >= 2) {
            return String.format(Locale.ROOT, "%.1f h", d.toMinutes() / 60.0);
        }
        return d.toSeconds() % 60 == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
    }
}
