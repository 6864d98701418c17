package io.latchkey.provisioning.bundle;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code hardware.*} keys the bundle's {@code agent.properties} gets (the agent's {@code HardwareConfig};
 * docs/agent.md). {@link Choice#PI} is the standard Latchkey Pi wiring of docs/installer-guide.md;
 * {@link Choice#SIMULATED} names every part simulated explicitly, for bench and demo devices.
 */
public final class HardwareSection {
    /** {@code provision --hardware}. */
    public enum Choice {
        PI, SIMULATED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The standard Latchkey Pi wiring: BCM GPIO numbers of each line. */
    public static final Map<String, Integer> PI_PINS = pins();
    public static final String PI_GNSS_PORT = "/dev/serial0";
    public static final int PI_GNSS_BAUD = 9600;
    public static final String PI_CAN_INTERFACE = "can0";
    public static final String CAN_PROFILE = "hardware.can.profile";

    private HardwareSection() {
    }

    private static Map<String, Integer> pins() {
        Map<String, Integer> pins = new LinkedHashMap<>();
        pins.put("unlock-relay", 17);
        pins.put("lock-relay", 27);
        pins.put("locked-feedback", 22);
        pins.put("immobiliser-relay", 23);
        pins.put("ignition", 24);
        pins.put("key-in-holder", 25);
        pins.put("tamper", 5);
        pins.put("status-led", 6);
        return java.util.Collections.unmodifiableMap(pins);
    }

    /**
     * @param vehicleProfile the car's built-in profile name, or null; with {@code pi} it switches SocketCAN on
     */
    public static Map<String, String> keys(Choice choice, String vehicleProfile) {
        Map<String, String> keys = new LinkedHashMap<>();
        if (choice == Choice.PI) {
            keys.put("hardware.locks", "pi4j");
            PI_PINS.forEach((line, bcm) -> keys.put("hardware.gpio." + line, Integer.toString(bcm)));
            keys.put("hardware.status-led", "gpio");
            keys.put("hardware.gnss", "serial");
            keys.put("hardware.gnss.serial.port", PI_GNSS_PORT);
            keys.put("hardware.gnss.serial.baud", Integer.toString(PI_GNSS_BAUD));
            if (vehicleProfile != null) {
                keys.put("hardware.can", "socketcan");
                keys.put("hardware.can.interface", PI_CAN_INTERFACE);
                keys.put(CAN_PROFILE, vehicleProfile);
            } else {
                keys.put("hardware.can", "none");
            }
            keys.put("hardware.power", "none");
        } else {
            keys.put("hardware.locks", "simulated");
            keys.put("hardware.gnss", "simulated");
            keys.put("hardware.can", "none");
            if (vehicleProfile != null) {
                keys.put(CAN_PROFILE, vehicleProfile);
            }
            keys.put("hardware.power", "simulated");
        }
        return keys;
    }
}
