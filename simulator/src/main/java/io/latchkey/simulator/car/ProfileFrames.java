package io.latchkey.simulator.car;

import io.latchkey.hal.can.CanFrame;
import io.latchkey.hal.can.SignalTransform;
import io.latchkey.hal.can.VehicleProfile;
import io.latchkey.hal.can.dbc.DbcDatabase;
import io.latchkey.hal.can.dbc.DbcEncoder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The car's ECUs for one vehicle profile: turns VSS values into the CAN frames the profile's DBC
 * defines, by running each mapping's transform backwards (offset, scale, nonZero, map) and encoding
 * with hal's {@link DbcEncoder}. The agent's {@code CanVehicleSignals} then decodes them forwards with
 * the same profile, so the real decoder runs on every value the model produces. Thread-safe; one
 * instance serves every car of the profile.
 */
public final class ProfileFrames {
    private record Field(String signal, String vss, SignalTransform transform) {
    }

    private final String profileName;
    private final DbcEncoder encoder;
    private final Map<String, List<Field>> byMessage = new LinkedHashMap<>();

    public ProfileFrames(String profileName, VehicleProfile profile, DbcDatabase dbc) {
        this.profileName = Objects.requireNonNull(profileName, "profileName");
        this.encoder = new DbcEncoder(dbc);
        for (VehicleProfile.SignalMapping m : profile.signals()) {
            byMessage.computeIfAbsent(m.message(), k -> new ArrayList<>())
                    .add(new Field(m.signal(), m.vss(), m.transformOrIdentity()));
        }
    }

    /** A built-in hal profile with its built-in DBC. */
    public static ProfileFrames builtIn(String name) {
        VehicleProfile profile = VehicleProfile.builtIn(name);
        return new ProfileFrames(name, profile, profile.builtInDbc());
    }

    public String profileName() {
        return profileName;
    }

    /** The VSS names this profile carries on the bus. */
    public List<String> vssNames() {
        return byMessage.values().stream().flatMap(List::stream).map(Field::vss).distinct().toList();
    }

    /**
     * One frame per message with at least one of its mapped values given. A value the signal cannot
     * carry (out of range, not in a map) is left out of its frame rather than sent wrong.
     */
    public List<CanFrame> frames(Map<String, Double> vss, Instant timestamp) {
        List<CanFrame> frames = new ArrayList<>(byMessage.size());
        for (Map.Entry<String, List<Field>> message : byMessage.entrySet()) {
            Map<String, Object> values = new HashMap<>();
            for (Field f : message.getValue()) {
                Double v = vss.get(f.vss());
                Double physical = v == null ? null : inverse(f.transform(), v);
                if (physical != null) {
                    values.put(f.signal(), physical);
                }
            }
            CanFrame frame = values.isEmpty() ? null : encode(message.getKey(), values, timestamp);
            if (frame != null) {
                frames.add(frame);
            }
        }
        return frames;
    }

    private CanFrame encode(String message, Map<String, Object> values, Instant timestamp) {
        try {
            return encoder.encode(message, values, timestamp);
        } catch (IllegalArgumentException e) {
            // One value out of range: send the others rather than nothing.
            Map<String, Object> fitting = new HashMap<>();
            for (Map.Entry<String, Object> v : values.entrySet()) {
                try {
                    encoder.encode(message, Map.of(v.getKey(), v.getValue()), timestamp);
                    fitting.put(v.getKey(), v.getValue());
                } catch (IllegalArgumentException skipped) {
                    // left out
                }
            }
            return fitting.isEmpty() ? null : encoder.encode(message, fitting, timestamp);
        }
    }

    /** The physical DBC value that the transform turns into {@code vssValue}, or null if none does. */
    static Double inverse(SignalTransform t, double vssValue) {
        double v = vssValue;
        if (t.offset() != null) {
            v -= t.offset();
        }
        if (t.scale() != null) {
            v /= t.scale();
        }
        if (Boolean.TRUE.equals(t.nonZero())) {
            v = v != 0 ? 1 : 0;
        }
        if (t.map() != null) {
            Map<Double, Double> sorted = new TreeMap<>();
            t.map().forEach((k, mapped) -> sorted.put(Double.parseDouble(k), mapped));
            for (Map.Entry<Double, Double> e : sorted.entrySet()) {
                if (e.getValue() == v) {
                    return e.getKey();
                }
            }
            return null;
        }
        return v;
    }
}
