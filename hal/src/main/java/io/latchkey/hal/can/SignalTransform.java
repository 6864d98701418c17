package io.latchkey.hal.can;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * How a DBC signal's physical value becomes a VSS value, as a profile writes it. Steps, in order, each
 * optional: {@code ignoreLabels} drops values whose value-table text is listed (a sensor's "SNA");
 * {@code map} replaces a value by the one listed for it and drops values not listed (door states
 * "Init"/"SNA"); {@code nonZero} turns any non-zero value into 1; {@code scale} and {@code offset}
 * convert units (MPH to km/h: scale 1.609344).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SignalTransform(List<String> ignoreLabels, Map<String, Double> map, Boolean nonZero, Double scale,
                              Double offset) {
    public static final SignalTransform IDENTITY = new SignalTransform(null, null, null, null, null);

    /** Null if the transform is usable, else what is wrong with it. */
    String problem() {
        if (map != null && Boolean.TRUE.equals(nonZero)) {
            return "map and nonZero cannot both be given";
        }
        if (map != null) {
            for (String key : map.keySet()) {
                try {
                    Double.parseDouble(key);
                } catch (NumberFormatException e) {
                    return "map key '" + key + "' is not a number";
                }
            }
        }
        if (scale != null && (scale == 0 || !Double.isFinite(scale))) {
            return "scale must be a finite non-zero number";
        }
        return null;
    }

    /** The VSS value, or empty when this value is to be dropped. */
    public OptionalDouble apply(double value, String label) {
        if (ignoreLabels != null && label != null && ignoreLabels.contains(label)) {
            return OptionalDouble.empty();
        }
        double v = value;
        if (map != null) {
            Double mapped = lookup(v);
            if (mapped == null) {
                return OptionalDouble.empty();
            }
            v = mapped;
        }
        if (Boolean.TRUE.equals(nonZero)) {
            v = v != 0 ? 1 : 0;
        }
        if (scale != null) {
            v *= scale;
        }
        if (offset != null) {
            v += offset;
        }
        return OptionalDouble.of(v);
    }

    private Double lookup(double value) {
        for (Map.Entry<String, Double> e : map.entrySet()) {
            if (Double.parseDouble(e.getKey()) == value) {
                return e.getValue();
            }
        }
        return null;
    }
}
