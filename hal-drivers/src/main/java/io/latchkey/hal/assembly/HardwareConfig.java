package io.latchkey.hal.assembly;

import io.latchkey.hal.config.ConfigException;
import io.latchkey.hal.config.ConfigFile;
import io.latchkey.hal.config.ConfigValues;
import io.latchkey.hal.gpio.PinConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
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
        double simulatedVolts, KeyReaders keyReaders, io.latchkey.hal.power.ads1115.Ads1115Settings ads1115) {

    /**
     * The readers phones present offline keys to (docs/offline-keys.md): {@code hardware.ble} (BlueZ on
     * {@code hardware.ble.adapter}) and {@code hardware.qr} (a serial scanner on {@code hardware.qr.serial.port}); and
     * the car's hardware clock for their time checks, {@code hardware.rtc} ({@code linux}: {@code hardware.rtc.device}
     * under /sys/class/rtc).
     */
    public record KeyReaders(Ble ble, String bleAdapter, Qr qr, String qrPort, int qrBaud, String qrHidDevice, Rtc rtc,
                             String rtcDevice) {
        public KeyReaders(Ble ble, String bleAdapter, Qr qr, String qrPort, int qrBaud, String qrHidDevice) {
            this(ble, bleAdapter, qr, qrPort, qrBaud, qrHidDevice, Rtc.NONE, "rtc0");
        }
    }

    /** The hardware RTC (docs/offline-keys.md §7): the kernel's RTC through sysfs, a simulated one, or none. */
    public enum Rtc { LINUX, SIMULATED, NONE }

    public enum Ble { BLUEZ, SIMULATED, NONE }

    public enum Qr { SERIAL, HID, SIMULATED, NONE }

    public enum Locks { PI4J, SIMULATED }

    public enum Gnss { SERIAL, GPSD, SIMULATED }

    public enum Can { SOCKETCAN, CANDUMP_REPLAY, NONE }

    public enum Power { ADS1115, SIMULATED, NONE }

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
            "hardware.power.check-interval", "hardware.power.simulated-volts",
            "hardware.power.ads1115.bus", "hardware.power.ads1115.address", "hardware.power.ads1115.channel",
            "hardware.power.ads1115.gain", "hardware.power.ads1115.divider-top", "hardware.power.ads1115.divider-bottom",
            "hardware.power.ads1115.calibration",
            "hardware.ble", "hardware.ble.adapter", "hardware.qr", "hardware.qr.serial.port", "hardware.qr.serial.baud",
            "hardware.qr.hid.device", "hardware.rtc", "hardware.rtc.device");

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

    /**
     * The {@code hardware.*} keys of a config file (properties or JSON, as the agent reads it); relative
     * paths resolve against the file's folder. Other keys are not checked here.
     */
    public static HardwareConfig load(Path file) {
        return parse(ConfigFile.read(file), file.toAbsolutePath().getParent());
    }

    /** Reads the {@code hardware.*} entries of {@code values} (others are ignored); relative paths resolve against {@code base}. */
    public static HardwareConfig parse(Map<String, String> values, Path base) {
        Map<String, String> v = new TreeMap<>();
        Map<String, Boolean> polarity = new TreeMap<>();
        Map<String, Integer> lines = new TreeMap<>();
        values.forEach((k, val) -> {
            if (k.startsWith(PREFIX)) {
                sortKey(k, val == null ? "" : val.strip(), v, polarity, lines);
            }
        });
        Map<String, PinConfig> pins = pins(polarity, lines);
        ConfigValues c = new ConfigValues(v);
        Locks locks = c.choice("hardware.locks", Locks.class, null);
        Gnss gnss = c.choice("hardware.gnss", Gnss.class, null);
        Can can = c.choice("hardware.can", Can.class, Can.NONE);
        Power power = c.choice("hardware.power", Power.class, Power.NONE);
        StatusLed led = c.choice("hardware.status-led", StatusLed.class, StatusLed.LOG);
        checkLines(locks, led, pins);
        Optional<String> profile = c.text("hardware.can.profile");
        Optional<Path> replay = c.text("hardware.can.replay.file").map(p -> resolve(base, p));
        checkCan(can, profile, replay);
        double low = c.decimal("hardware.power.low-volts", 12.2, 0, 60);
        double recover = c.decimal("hardware.power.recover-volts", low + 0.4, 0, 60);
        if (recover < low) {
            throw new ConfigException("hardware.power.recover-volts: must not be below hardware.power.low-volts (" + low + "), got " + recover);
        }
        KeyReaders keyReaders = new KeyReaders(c.choice("hardware.ble", Ble.class, Ble.NONE), adapter(c.text("hardware.ble.adapter", "hci0")),
                c.choice("hardware.qr", Qr.class, Qr.NONE), c.text("hardware.qr.serial.port", "/dev/ttyACM0"),
                c.integer("hardware.qr.serial.baud", 9600, 1200, 921_600), c.text("hardware.qr.hid.device", ""),
                c.choice("hardware.rtc", Rtc.class, Rtc.NONE), rtcDevice(c.text("hardware.rtc.device", "rtc0")));
        checkKeyReaders(keyReaders);
        return new HardwareConfig(locks, gnss, can, power, led, pins,
                c.duration("hardware.gpio.debounce", Duration.ofMillis(10), true),
                c.duration("hardware.lock.pulse", Duration.ofMillis(300), false),
                c.text("hardware.gnss.serial.port", "/dev/ttyACM0"),
                c.integer("hardware.gnss.serial.baud", 9600, 1200, 921_600),
                c.text("hardware.gnss.gpsd.host", "127.0.0.1"),
                c.integer("hardware.gnss.gpsd.port", 2947, 1, 65_535),
                c.decimal("hardware.gnss.simulated.lat", 52.52, -90, 90),
                c.decimal("hardware.gnss.simulated.lon", 13.405, -180, 180),
                c.text("hardware.can.interface", "can0"),
                profile,
                c.text("hardware.can.dbc").map(p -> resolve(base, p)),
                replay,
                c.decimal("hardware.can.replay.speed", 1.0, 0.001, 1000),
                low, recover,
                c.duration("hardware.power.low-interval", Duration.ofMinutes(30), false),
                c.duration("hardware.power.check-interval", Duration.ofSeconds(60), false),
                c.decimal("hardware.power.simulated-volts", 12.6, 0, 60),
                keyReaders, ads1115(c));
    }

    /** {@code hardware.power.ads1115.*}: the ADC's wiring; the defaults are the kit's (docs/installer-guide.md). */
    private static io.latchkey.hal.power.ads1115.Ads1115Settings ads1115(ConfigValues c) {
        io.latchkey.hal.power.ads1115.Ads1115Settings d = io.latchkey.hal.power.ads1115.Ads1115Settings.defaults();
        String address = c.text("hardware.power.ads1115.address", "0x48");
        int addr;
        try {
            addr = address.startsWith("0x") || address.startsWith("0X") ? Integer.parseInt(address.substring(2), 16) : Integer.parseInt(address);
        } catch (NumberFormatException e) {
            throw new ConfigException("hardware.power.ads1115.address: not an I2C address: '" + address + "' (0x48 to 0x4b)");
        }
        try {
            return new io.latchkey.hal.power.ads1115.Ads1115Settings(
                    c.integer("hardware.power.ads1115.bus", d.bus(), 0, 255), addr,
                    c.integer("hardware.power.ads1115.channel", d.channel(), 0, 3),
                    io.latchkey.hal.power.ads1115.Ads1115.Gain.of(c.decimal("hardware.power.ads1115.gain", d.gain().fullScale, 0, 7)),
                    c.decimal("hardware.power.ads1115.divider-top", d.dividerTop(), 0, 1e9),
                    c.decimal("hardware.power.ads1115.divider-bottom", d.dividerBottom(), 1, 1e9),
                    c.decimal("hardware.power.ads1115.calibration", d.calibration(), 0.5, 2.0));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("hardware.power.ads1115: " + e.getMessage());
        }
    }

    /** Puts one {@code hardware.*} entry where it belongs: a GPIO line number, a line's polarity, or a plain key. */
    private static void sortKey(String k, String value, Map<String, String> v, Map<String, Boolean> polarity,
                                Map<String, Integer> lines) {
        Matcher m = GPIO_KEY.matcher(k);
        if (m.matches() && !k.equals("hardware.gpio.debounce")) {
            String line = m.group(1);
            if (!LINES.contains(line)) {
                throw new ConfigException(k + ": unknown GPIO line (known: " + String.join(", ", new TreeSet<>(LINES)) + ")");
            }
            if (m.group(2) != null) {
                polarity.put(line, ConfigValues.bool(k, value, "high", "low"));
            } else {
                lines.put(line, ConfigValues.integer(k, value, 0, 511));
            }
        } else if (KEYS.contains(k)) {
            v.put(k, value);
        } else {
            throw new ConfigException(k + ": unknown key (hardware keys: " + String.join(", ", new TreeSet<>(KEYS))
                    + ", hardware.gpio.<line>[.active])");
        }
    }

    private static Map<String, PinConfig> pins(Map<String, Boolean> polarity, Map<String, Integer> lines) {
        polarity.keySet().stream().filter(l -> !lines.containsKey(l)).findFirst().ifPresent(l -> {
            throw new ConfigException("hardware.gpio." + l + ".active: set, but hardware.gpio." + l + " (the line number) is missing");
        });
        Map<String, PinConfig> pins = new TreeMap<>();
        lines.forEach((line, address) -> pins.put(line, new PinConfig(address, polarity.getOrDefault(line, true))));
        return pins;
    }

    private static void checkLines(Locks locks, StatusLed led, Map<String, PinConfig> pins) {
        if (locks == Locks.PI4J) {
            for (String line : new String[]{UNLOCK_RELAY, LOCK_RELAY, LOCKED_FEEDBACK}) {
                if (!pins.containsKey(line)) {
                    throw new ConfigException("hardware.gpio." + line + " is required with hardware.locks=pi4j");
                }
            }
        } else if (pins.keySet().stream().anyMatch(l -> !l.equals(STATUS_LED))) {
            throw new ConfigException("hardware.gpio.*: GPIO lines are configured but hardware.locks is not pi4j");
        }
        if (led == StatusLed.GPIO && (!pins.containsKey(STATUS_LED) || locks != Locks.PI4J)) {
            throw new ConfigException("hardware.status-led=gpio needs hardware.gpio.status-led and hardware.locks=pi4j");
        }
    }

    private static void checkCan(Can can, Optional<String> profile, Optional<Path> replay) {
        if (can != Can.NONE && profile.isEmpty()) {
            throw new ConfigException("hardware.can.profile is required with hardware.can=" + name(can)
                    + " (a built-in profile name such as hyundai_i30_2014, or a profile .json file)");
        }
        if (can == Can.CANDUMP_REPLAY && replay.isEmpty()) {
            throw new ConfigException("hardware.can.replay.file is required with hardware.can=candump-replay");
        }
    }

    static void checkKeyReaders(KeyReaders k) {
        if (k.qr() == Qr.HID && k.qrHidDevice().isBlank()) {
            throw new ConfigException("hardware.qr.hid.device is required with hardware.qr=hid (e.g. /dev/input/by-id/usb-...-event-kbd)");
        }
    }

    private static String rtcDevice(String name) {
        if (!name.matches("rtc[0-9]{1,2}")) {
            throw new ConfigException("hardware.rtc.device: expected an RTC name such as rtc0, got '" + name + "'");
        }
        return name;
    }

    private static String adapter(String name) {
        if (!name.matches("hci[0-9]{1,2}")) {
            throw new ConfigException("hardware.ble.adapter: expected a Bluetooth adapter name such as hci0, got '" + name + "'");
        }
        return name;
    }

    static String name(Enum<?> e) {
        return ConfigValues.name(e);
    }

    private static Path resolve(Path base, String p) {
        Path path = Path.of(p);
        return path.isAbsolute() || base == null ? path : base.resolve(path).normalize();
    }
}
