package io.latchkey.simulator.scenario;

import io.latchkey.simulator.broker.BrokerControl;
import io.latchkey.simulator.car.GnssCondition;
import io.latchkey.simulator.fleet.Fleet;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Turns a scenario's faults into a timeline of actions on the fleet and the broker — each fault's start
 * and, after its window, its end — and plays it. {@link #liftAll} ends every fault still running, so
 * that the audit sees the fleet recover.
 */
final class FaultInjector {
    /** One thing to do at one moment, in seconds from the start. */
    record Action(double at, String description, Runnable run) {
    }

    private final Fleet fleet;
    private final BrokerControl broker;
    private final List<String> deviceIds;
    private final PrintStream out;
    private final List<Action> timeline = new ArrayList<>();
    private final List<Action> lifts = new ArrayList<>();

    FaultInjector(Fleet fleet, BrokerControl broker, List<String> deviceIds, List<FaultSpec> faults, long seed, PrintStream out) {
        this.fleet = fleet;
        this.broker = broker;
        this.deviceIds = List.copyOf(deviceIds);
        this.out = out;
        SplittableRandom random = new SplittableRandom(seed ^ 0x5EED_FA17L);
        for (FaultSpec f : faults) {
            plan(f, CarSelector.parse(f.cars(), "cars").pick(deviceIds.size(), random.split()));
        }
        timeline.sort(Comparator.comparingDouble(Action::at));
    }

    List<Action> timeline() {
        return List.copyOf(timeline);
    }

    private void plan(FaultSpec f, List<Integer> cars) {
        List<String> ids = cars.stream().map(deviceIds::get).toList();
        String who = ids.size() == deviceIds.size() ? "all " + ids.size() + " cars" : ids.size() + " car(s)";
        double end = f.atSeconds() + f.forSeconds();
        switch (f.type()) {
            case CONNECTIVITY_LOSS -> window(f, end, "connectivity lost for " + who, "connectivity back for " + who,
                    ids, fleet::disconnect, fleet::reconnect);
            case AGENT_RESTART -> window(f, end, "power lost (agent killed) on " + who, "power back (agent boots) on " + who,
                    ids, fleet::kill, id -> fleet.startAgent(id));
            case GNSS_LOST -> window(f, end, "GNSS reports no fix on " + who, "GNSS fix back on " + who,
                    ids, id -> fleet.car(id).gnss(GnssCondition.NO_FIX), id -> fleet.car(id).gnss(GnssCondition.FIX));
            case GNSS_SILENT -> window(f, end, "GNSS silent on " + who, "GNSS back on " + who,
                    ids, id -> fleet.car(id).gnss(GnssCondition.SILENT), id -> fleet.car(id).gnss(GnssCondition.FIX));
            case LOW_VOLTAGE -> window(f, end, "battery at " + f.volts() + " V on " + who, "battery healthy on " + who,
                    ids, id -> fleet.car(id).restingVolts(f.volts()), id -> fleet.car(id).restingVolts(12.6));
            case CLOCK_SKEW -> window(f, end, "clock off by " + f.skewSeconds() + " s on " + who, "clock right on " + who,
                    ids, id -> fleet.skewClock(id, Duration.ofMillis((long) (f.skewSeconds() * 1000))),
                    id -> fleet.skewClock(id, Duration.ZERO));
            case BROKER_RESTART -> {
                if (broker == null) {
                    timeline.add(new Action(f.atSeconds(), "broker restart SKIPPED: the simulator does not own the broker "
                            + "(run with a managed backend, e.g. sim bench)", () -> { }));
                    return;
                }
                Action start = new Action(end, "broker up again", broker::start);
                timeline.add(new Action(f.atSeconds(), "broker stops", broker::stop));
                timeline.add(start);
                lifts.add(start);
            }
            default -> throw new IllegalStateException("unhandled fault " + f.type());
        }
    }

    /** A window with {@code forSeconds} 0 runs to the end of the scenario and is lifted then. */
    private void window(FaultSpec f, double end, String on, String off, List<String> ids, Consumer<String> apply,
                        Consumer<String> lift) {
        timeline.add(new Action(f.atSeconds(), on, () -> ids.forEach(apply)));
        boolean restartNow = f.type() == FaultSpec.Type.AGENT_RESTART && f.forSeconds() == 0;
        Action undo = new Action(end, off, () -> ids.forEach(lift));
        if (f.forSeconds() > 0 || restartNow) {
            timeline.add(undo);
        }
        lifts.add(undo);
    }

    /** Plays the timeline against the scenario clock; returns when it is done or {@code stopAt} is reached. */
    void play(long startNanos, double stopAtSeconds) {
        for (Action a : timeline) {
            if (a.at() > stopAtSeconds) {
                break;
            }
            long due = startNanos + (long) (a.at() * 1e9);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            perform(a, (System.nanoTime() - startNanos) / 1e9);
        }
    }

    /** Ends every fault (idempotently: lifting what was already lifted does no harm). */
    void liftAll(double nowSeconds) {
        for (Action a : lifts) {
            perform(new Action(a.at(), "end of scenario: " + a.description(), a.run()), nowSeconds);
        }
    }

    private void perform(Action a, double atSeconds) {
        out.printf("  [%6.1f s] %s%n", atSeconds, a.description());
        try {
            a.run().run();
        } catch (RuntimeException e) {
            out.printf("  [%6.1f s]   failed: %s%n", atSeconds, e);
        }
    }
}
