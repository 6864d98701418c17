package io.latchkey.agent.power;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Decides the power state from what the car knows now; no threads, no I/O, so each rule is tested with a clock
 * of its own ({@code PowerPolicyTest}). {@link PowerManager} calls {@link #update} on the agent's timer.
 *
 * <ol>
 *   <li>{@link PowerState#PROTECT}: the voltage has stayed below {@code protectVolts} for {@code protectDelay}
 *       (an unknown reading neither starts nor ends that time; a reading at or above it ends it). It ends only when a
 *       reading reaches {@code recoverVolts}; until then the car reads the voltage every {@code protectCheckEvery}.</li>
 *   <li>Not parked (moving, or the ignition on): {@link PowerState#NORMAL}, and every parked timer starts again.</li>
 *   <li>A booking starting within {@code bookingLead} (or that started less than {@code bookingLead} ago): awake
 *       ({@code NORMAL}, or {@code ECONOMY} on a low battery), never asleep.</li>
 *   <li>Asleep until the wake time, which is the earlier of {@code sleepWakeEvery} after falling asleep and
 *       {@code bookingLead} before the next booking; then awake ({@code ECONOMY}) for {@code wakeFor}, then asleep again.</li>
 *   <li>Parked for {@code sleepAfter}: {@link PowerState#SLEEP}; for {@code economyAfter}, or the battery low:
 *       {@link PowerState#ECONOMY}; else {@code NORMAL}.</li>
 * </ol>
 */
public final class PowerPolicy {
    /** The state, and when a sleeping or protected car will next be awake (null when awake). */
    public record Decision(PowerState state, Instant nextWake) {
    }

    private final PowerSettings settings;
    private PowerState state;
    private Instant parkedSince;
    private Instant criticalSince;
    private Instant sleepingUntil;
    private Instant awakeUntil;

    /** @param protectedAtStart the agent stopped in {@code PROTECT} and the voltage has not been seen to recover since */
    public PowerPolicy(PowerSettings settings, boolean protectedAtStart) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.state = protectedAtStart ? PowerState.PROTECT : PowerState.NORMAL;
    }

    public synchronized PowerState state() {
        return state;
    }

    /**
     * @param volts       the supply voltage now, empty if unknown (no sensor, or no reading)
     * @param lowBattery  the battery guard's low-voltage flag (immediate, with its own hysteresis)
     * @param parked      standing still with the ignition off
     * @param nextBooking when the car's next booking starts, null if none is known
     */
    public synchronized Decision update(Instant now, OptionalDouble volts, boolean lowBattery, boolean parked, Instant nextBooking) {
        if (volts.isPresent()) {
            double v = volts.getAsDouble();
            if (v < settings.protectVolts()) {
                if (criticalSince == null) {
                    criticalSince = now;
                }
            } else {
                criticalSince = null;
            }
        }
        if (state == PowerState.PROTECT) {
            if (volts.isPresent() && volts.getAsDouble() >= settings.recoverVolts()) {
                criticalSince = null;
                sleepingUntil = null;
                awakeUntil = null;
                parkedSince = parked ? now : null;
                state = PowerState.NORMAL;
                return new Decision(state, null);
            }
            return new Decision(state, now.plus(settings.protectCheckEvery()));
        }
        if (criticalSince != null && !now.isBefore(criticalSince.plus(settings.protectDelay()))) {
            state = PowerState.PROTECT;
            return new Decision(state, now.plus(settings.protectCheckEvery()));
        }
        if (!parked) {
            parkedSince = null;
            sleepingUntil = null;
            awakeUntil = null;
            return set(PowerState.NORMAL, null);
        }
        if (parkedSince == null) {
            parkedSince = now;
        }
        Instant wakeForBooking = nextBooking == null ? null : nextBooking.minus(settings.bookingLead());
        if (wakeForBooking != null && !now.isBefore(wakeForBooking) && now.isBefore(nextBooking.plus(settings.bookingLead()))) {
            sleepingUntil = null;
            awakeUntil = null;
            return set(lowBattery ? PowerState.ECONOMY : PowerState.NORMAL, null);
        }
        if (state == PowerState.SLEEP && sleepingUntil != null) {
            Instant wake = earlier(sleepingUntil, wakeForBooking, now);
            if (now.isBefore(wake)) {
                return set(PowerState.SLEEP, wake);
            }
            sleepingUntil = null;
            awakeUntil = now.plus(settings.wakeFor());
        }
        if (awakeUntil != null && now.isBefore(awakeUntil)) {
            return set(PowerState.ECONOMY, null);
        }
        Duration parkedFor = Duration.between(parkedSince, now);
        if (awakeUntil != null || parkedFor.compareTo(settings.sleepAfter()) >= 0) {
            awakeUntil = null;
            sleepingUntil = now.plus(settings.sleepWakeEvery());
            return set(PowerState.SLEEP, earlier(sleepingUntil, wakeForBooking, now));
        }
        if (lowBattery || parkedFor.compareTo(settings.economyAfter()) >= 0) {
            return set(PowerState.ECONOMY, null);
        }
        return set(PowerState.NORMAL, null);
    }

    private Decision set(PowerState next, Instant nextWake) {
        state = next;
        return new Decision(next, nextWake);
    }

    /** The timer's wake, or the booking's if that comes first and is still ahead. */
    private static Instant earlier(Instant timer, Instant forBooking, Instant now) {
        return forBooking != null && forBooking.isAfter(now) && forBooking.isBefore(timer) ? forBooking : timer;
    }
}
