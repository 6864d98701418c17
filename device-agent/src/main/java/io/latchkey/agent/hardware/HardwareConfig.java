package io.latchkey.agent.hardware;

import io.latchkey.agent.config.AgentConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which driver runs each part of the car's hardware, and how it is wired: the {@code hardware.*} keys
 * of the agent config (see docs/agent.md). Nothing defaults to a simulation: {@code hardware.locks}
 * and {@code hardware.gnss} must be named, and {@code simulated} must be written out to be used.
 */
public record HardwareConfig(
        Locks locks, Gnss gnss, Can can, Power power, StatusLed statusLed,
        Map<String, PinConfig> pins, Duration gpioDebounce, Duration lockPulse,
        String serialPort, int serialBaud, String gpsdHost, int gpsdPort, double simulatedLat, double simulatedLon,
        String canInterface, Optional<String> canProfile, Optional<Path> canDbc, Optional<Path> canReplayFile,
        double canReplaySpeed,
        double lowVolts, double recoverVolts, Duration lowPowerInterval, Duration powerCheckInterval,
        double simulatedVolts) {

    public enum Locks { PI4J, SIMULATED }

    public enum Gnss { SERIAL, GPSD, SIMULATED }

    public enum Can { SOCKETCAN, CANDUMP_REPLAY, NONE }

    public enum Power { SIMULATED, NONE }

    public enum StatusLed { GPIO, LOG }

    public static final String PREFIX = "hardware.";
    public static final String UNLOCK_RELAY = "unlock-relay";
    public static final String LOCK_RELAY = "lock-relay";
    public static final String LOCKED_FEEDBACK = "locked-feedback";
    public static final String IMMOBILISER_RELAY = "immobiliser-relay";
    public static final String IMMOBILISER_FEEDBACK = "immobiliser-feedback";
    public static final String IGNITION = "ignition";
    public static final String KEY_IN_HOLDER = "key-in-holder";
    public static final String TAMPER = "tamper";
    public static final String DOOR_CONTACT = "door-contact";
    public static final String STATUS_LED = "status-led";
    public static final Set<String> LINES = Set.of(UNLOCK_RELAY, LOCK_RELAY, LOCKED_FEEDBACK, IMMOBILISER_RELAY,
            IMMOBILISER_FEEDBACK, IGNITION, KEY_IN_HOLDER, TAMPER, DOOR_CONTACT, STATUS_LED);

    private static final Pattern GPIO_KEY = Pattern.compile("hardware\\.gpio\\.([a-z-]+?)(\\.active)?");
    private static final Set<String> KEYS = Set.of("hardware.locks", "hardware.gnss", "hardware.can", "hardware.power",
            "hardware.status-led", "hardware.gpio.debounce", "hardware.lock.pulse", "hardware.gnss.serial.port",
            "hardware.gnss.serial.baud", "hardware.gnss.gpsd.host", "hardware.gnss.gpsd.port",
            "hardware.gnss.simulated.lat", "hardware.gnss.simulated.lon", "hardware.can.interface",
            "hardware.can.profile", "hardware.can.dbc", "hardware.can.replay.file", "hardware.can.replay.speed",
            "hardware.power.low-volts", "hardware.power.recover-volts", "hardware.power.low-interval",
            "hardware.power.check-interval", "hardware.power.simulated-volts");

    public HardwareConfig {
        pins = Collections.unmodifiableMap(new TreeMap<>(pins));
    }

    public Optional<PinConfig> pin(String line) {
        return Optional.ofNullable(pins.get(line));
    }

    /** Every part simulated: what {@code run --simulated} and the simulator use. */
    public static HardwareConfig allSimulated() {
        return parse(Map.of("hardware.locks", "simulated", "hardware.gnss", "simulated", "hardware.power", "simulated"), null);
    }

    /** Reads the {@code hardware.*} entries of {@code values} (others are ignored); relative paths resolve against {@code base}. */
    public static HardwareConfig parse(Map<String, String> values, Path base) {
        Map<String, String> v = new TreeMap<>();
        Map<String, PinConfig> pins = new TreeMap<>();
        Map<String, Boolean> polarity = new TreeMap<>();
        Map<String, Integer> lines = new TreeMap<>();
        values.forEach((k, val) -> {
            if (!k.startsWith(PREFIX)) {
                return;
            }
            String value = val == null ? "" : val.strip();
            Matcher m = GPIO_KEY.matcher(k);
            if (m.matches() && !k.equals("hardware.gpio.debounce")) {
                String line = m.group(1);
                if (!LINES.contains(line)) {
                    throw new AgentConfigException(k + ": unknown GPIO line (known: " + String.join(", ", new TreeSet<>(LINES)) + ")");
                }
                if (m.group(2) != null) {
                    polarity.put(line, switch (value.toLowerCase(Locale.ROOT)) {
                        case "high" -> true;
                        case "low" -> false;
                        default -> throw new AgentConfigException(k + ": expected high or low, got '" + value + "'");
                    });
                } else {
                    lines.put(line, Values.integer(k, value, 0, 511));
                }
            } else if (KEYS.contains(k)) {
                v.put(k, value);
            } else {
                throw new AgentConfigException(k + ": unknown key (hardware keys: " + String.join(", ", new TreeSet<>(KEYS))
                        + ", hardware.gpio.<line>[.active])");
            }
        });
        polarity.keySet().stream().filter(l -> !lines.containsKey(l)).findFirst().ifPresent(l -> {
            throw new AgentConfigException("hardware.gpio." + l + ".active: set, but hardware.gpio." + l + " (the line number) is missing");
        });
        lines.forEach((line, address) -> pins.put(line, new PinConfig(address, polarity.getOrDefault(line, true))));

        Locks locks = Values.choice(v, "hardware.locks", Locks.class, null);
        Gnss gnss = Values.choice(v, "hardware.gnss", Gnss.class, null);
        Can can = Values.choice(v, "hardware.can", Can.class, Can.NONE);
        Power power = Values.choice(v, "hardware.power", Power.class, Power.NONE);
        StatusLed led = Values.choice(v, "hardware.status-led", StatusLed.class, StatusLed.LOG);
        if (locks == Locks.PI4J) {
            for (String line : new String[]{UNLOCK_RELAY, LOCK_RELAY, LOCKED_FEEDBACK}) {
                if (!pins.containsKey(line)) {
                    throw new AgentConfigException("hardware.gpio." + line + " is required with hardware.locks=pi4j");
                }
            }
        } else if (pins.keySet().stream().anyMatch(l -> !l.equals(STATUS_LED))) {
            throw new AgentConfigException("hardware.gpio.*: GPIO lines are configured but hardware.locks is not pi4j");
        }
        if (led == StatusLed.GPIO && (!pins.containsKey(STATUS_LED) || locks != Locks.PI4J)) {
            throw new AgentConfigException("hardware.status-led=gpio needs hardware.gpio.status-led and hardware.locks=pi4j");
        }
        Optional<String> profile = Optional.ofNullable(v.get("hardware.can.profile"));
        if (can != Can.NONE && profile.isEmpty()) {
            throw new AgentConfigException("hardware.can.profile is required with hardware.can=" + name(can)
                    + " (a built-in profile name such as hyundai_i30_2014, or a profile .json file)");
        }
        Optional<Path> replay = Optional.ofNullable(v.get("hardware.can.replay.file")).map(p -> resolve(base, p));
        if (can == Can.CANDUMP_REPLAY && replay.isEmpty()) {
            throw new AgentConfigException("hardware.can.replay.file is required with hardware.can=candump-replay");
        }
        double low = Values.decimal(v, "hardware.power.low-volts", 11.8, 0, 60);
        double recover = Values.decimal(v, "hardware.power.recover-volts", low + 0.4, 0, 60);
        if (recover < low) {
            throw new AgentConfigException("hardware.power.recover-volts: must not be below hardware.power.low-volts (" + low + "), got " + recover);
        }
        return new HardwareConfig(locks, gnss, can, power, led, pins,
                Values.duration(v, "hardware.gpio.debounce", Duration.ofMillis(10), true),
                Values.duration(v, "hardware.lock.pulse", Duration.ofMillis(300), false),
                v.getOrDefault("hardware.gnss.serial.port", "/dev/ttyACM0"),
                Values.integer(v, "hardware.gnss.serial.baud", 9600, 1200, 921_600),
                v.getOrDefault("hardware.gnss.gpsd.host", "127.0.0.1"),
                Values.integer(v, "hardware.gnss.gpsd.port", 2947, 1, 65_535),
                Values.decimal(v, "hardware.gnss.simulated.lat", 52.52, -90, 90),
                Values.decimal(v, "hardware.gnss.simulated.lon", 13.405, -180, 180),
                v.getOrDefault("hardware.can.interface", "can0"),
                profile,
                Optional.ofNullable(v.get("hardware.can.dbc")).map(p -> resolve(base, p)),
                replay,
                Values.decimal(v, "hardware.can.replay.speed", 1.0, 0.001, 1000),
                low, recover,
                Values.duration(v, "hardware.power.low-interval", Duration.ofMinutes(30), false),
                Values.duration(v, "hardware.power.check-interval", Duration.ofSeconds(60), false),
                Values.decimal(v, "hardware.power.simulated-volts", 12.6, 0, 60));
    }

    static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static Path resolve(Path base, String p) {
        Path path = Path.of(p);
        return path.isAbsolute() || base == null ? path : base.resolve(path).normalize();
    }
}
