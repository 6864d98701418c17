package io.latchkey.agent.power;

import io.latchkey.hal.config.ConfigException;
import io.latchkey.hal.config.ConfigValues;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The {@code power.*} settings of the agent's power states (docs/agent.md). Defaults follow AutoPi's
 * (sleep after 3 h of inactivity, wake every 6 h, safety cut-out after 240 s below the threshold) and OVMS's
 * (after a 12 V shutdown, test the voltage every 60 s and boot again once it is back).
 *
 * @param economyAfter      parked this long: {@link PowerState#ECONOMY}
 * @param economyInterval   the parked telemetry interval in economy and sleep
 * @param sleepAfter        parked this long: {@link PowerState#SLEEP}
 * @param sleepWakeEvery    a sleeping car wakes at least this often
 * @param wakeFor           and stays awake (connected) this long before sleeping again
 * @param bookingLead       awake from this long before a booking's start until as long after it
 * @param protectVolts      below this for {@code protectDelay}: {@link PowerState#PROTECT}
 * @param protectDelay      a dip shorter than this changes nothing
 * @param recoverVolts      protection ends at or above this (hysteresis: above {@code protectVolts})
 * @param protectCheckEvery how often a protected car reads the voltage
 */
public record PowerSettings(Duration economyAfter, Duration economyInterval, Duration sleepAfter, Duration sleepWakeEvery,
                            Duration wakeFor, Duration bookingLead, double protectVolts, Duration protectDelay,
                            double recoverVolts, Duration protectCheckEvery) {
    public static final String PREFIX = "power.";
    public static final Set<String> KEYS = Set.of("power.economy-after", "power.economy-interval", "power.sleep-after",
            "power.sleep-wake-every", "power.wake-for", "power.booking-lead", "power.protect-volts", "power.protect-delay",
            "power.recover-volts", "power.protect-check-every");

    public static final PowerSettings DEFAULTS = parse(Map.of());

    public PowerSettings {
        if (recoverVolts <= protectVolts) {
            throw new ConfigException("power.recover-volts: must be above power.protect-volts (" + protectVolts + "), got " + recoverVolts);
        }
        if (sleepAfter.compareTo(economyAfter) < 0) {
            throw new ConfigException("power.sleep-after: must not be shorter than power.economy-after (" + economyAfter + ")");
        }
    }

    /** The {@code power.*} entries of an agent configuration; other keys are ignored, an unknown {@code power.*} key refused. */
    public static PowerSettings parse(Map<String, String> values) {
        Map<String, String> mine = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(PREFIX)) {
                if (!KEYS.contains(k)) {
                    throw new ConfigException(k + ": unknown key (known: " + String.join(", ", new TreeSet<>(KEYS)) + ")");
                }
                mine.put(k, v == null ? "" : v.strip());
            }
        });
        ConfigValues c = new ConfigValues(mine);
        return new PowerSettings(
                c.duration("power.economy-after", Duration.ofMinutes(10), true),
                c.duration("power.economy-interval", Duration.ofMinutes(30), false),
                c.duration("power.sleep-after", Duration.ofHours(3), true),
                c.duration("power.sleep-wake-every", Duration.ofHours(6), false),
                c.duration("power.wake-for", Duration.ofMinutes(5), false),
                c.duration("power.booking-lead", Duration.ofMinutes(15), true),
                c.decimal("power.protect-volts", 12.0, 0, 60),
                c.duration("power.protect-delay", Duration.ofSeconds(240), true),
                c.decimal("power.recover-volts", 12.4, 0, 60),
                c.duration("power.protect-check-every", Duration.ofSeconds(60), false));
    }
}
