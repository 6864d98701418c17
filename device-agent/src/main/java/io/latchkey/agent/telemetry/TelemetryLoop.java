package io.latchkey.agent.telemetry;

import java.util.List;
import java.util.ArrayList;
import io.latchkey.hal.Registration;
import io.latchkey.hal.vehicle.AgentSignals;
import io.latchkey.agent.vehicle.VehicleStatus;
import io.latchkey.hal.lock.DoorLocks;
import io.latchkey.hal.vehicle.Vss;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides when to take a record: periodically (the moving interval while the car moves, the parked
 * interval otherwise, longer still on a low battery) and at once when the lock state, a door, the
 * ignition or the key holder changes. Every record
 * restarts the periodic timer, so a change is never followed by a redundant periodic sample. Records
 * are numbered and handed to the sink in one critical section, so the sink sees them in order.
 */
public final class TelemetryLoop {
    public static final String PERIODIC = "PERIODIC";
    public static final String START = "START";
    public static final String LOCK = "LOCK";
    public static final String DOOR = "DOOR";
    public static final String IGNITION = "IGNITION";
    public static final String KEY = "KEY";

    private static final Logger LOG = LoggerFactory.getLogger(TelemetryLoop.class);

    private final TelemetrySampler sampler;
    private final SequenceCounter counter;
    private final TelemetrySink sink;
    private final VehicleStatus vehicle;
    private final DoorLocks locks;
    private final ScheduledExecutorService scheduler;
    private final Executor executor;
    private final Duration movingInterval;
    private final Duration parkedInterval;
    private volatile Duration lowPowerInterval;
    private ScheduledFuture<?> timer;
    private boolean running;
    private final List<Registration> registrations = new ArrayList<>();

    public TelemetryLoop(TelemetrySampler sampler, SequenceCounter counter, TelemetrySink sink, VehicleStatus vehicle,
                         DoorLocks locks, ScheduledExecutorService scheduler, Executor executor,
                         Duration movingInterval, Duration parkedInterval) {
        this.sampler = Objects.requireNonNull(sampler, "sampler");
        this.counter = Objects.requireNonNull(counter, "counter");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.vehicle = Objects.requireNonNull(vehicle, "vehicle");
        this.locks = Objects.requireNonNull(locks, "locks");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.movingInterval = Objects.requireNonNull(movingInterval, "movingInterval");
        this.parkedInterval = Objects.requireNonNull(parkedInterval, "parkedInterval");
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        if (registrations.isEmpty()) {
            registrations.add(locks.addListener(state -> trigger(LOCK)));
            registrations.add(vehicle.signals().addListener((name, value) -> {
                if (VehicleStatus.DOOR_SIGNALS.contains(name)) {
                    trigger(DOOR);
                } else if (Vss.IGNITION_ON.equals(name)) {
                    trigger(IGNITION);
                } else if (AgentSignals.KEY_IN_HOLDER.equals(name)) {
                    trigger(KEY);
                }
            }));
        }
        trigger(START);
    }

    public synchronized void stop() {
        running = false;
        registrations.forEach(Registration::close);
        registrations.clear();
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** Takes a record now, on the caller's thread. */
    public synchronized void recordNow(String reason) {
        if (!running) {
            return;
        }
        try {
            sink.submit(sampler.sample(counter.next(), reason));
        } catch (RuntimeException e) {
            LOG.warn("telemetry record ({}) failed: {}", reason, e.toString());
        } finally {
            reschedule();
        }
    }

    /**
     * Takes a record now carrying {@code event} (an offline key's use), so that the event travels in the journal with
     * the records: in order, exactly once, after the car is back online. The journal is flushed at once.
     *
     * @return false if the loop is not running (the event is then only logged by the caller)
     */
    public synchronized boolean recordEvent(String reason, io.latchkey.protocol.telemetry.DeviceEvent event) {
        if (!running) {
            LOG.warn("event {} not journalled: telemetry is stopped", event.type());
            return false;
        }
        try {
            sink.submit(sampler.sample(counter.next(), reason).withEvent(event));
            sink.flush();
            return true;
        } finally {
            reschedule();
        }
    }

    /**
     * The interval until the next periodic record: the moving one while the car moves or its ignition
     * is on (an ignition change records at once, so driving off is never sampled at the parked rate).
     */
    public Duration currentInterval() {
        if (vehicle.isMoving() || vehicle.ignitionOn()) {
            return movingInterval;
        }
        Duration low = lowPowerInterval;
        return low != null && low.compareTo(parkedInterval) > 0 ? low : parkedInterval;
    }

    /**
     * Battery protection: while set, a parked car samples at this (longer) interval; null restores the
     * normal one. Changes, and driving, still record at once.
     */
    public void lowPower(Duration interval) {
        this.lowPowerInterval = interval;
    }

    private void trigger(String reason) {
        // HAL listeners run on driver threads: hop to the agent's threads before touching disk or network.
        executor.execute(() -> recordNow(reason));
    }

    private void reschedule() {
        if (timer != null) {
            timer.cancel(false);
        }
        if (running) {
            timer = scheduler.schedule(() -> recordNow(PERIODIC), currentInterval().toNanos(), TimeUnit.NANOSECONDS);
        }
    }
}
