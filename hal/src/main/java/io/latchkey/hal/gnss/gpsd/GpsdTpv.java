package io.latchkey.hal.gnss.gpsd;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.hal.gnss.GnssFix;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads gpsd's JSON reports. Only {@code TPV} objects become fixes; {@code VERSION}, {@code DEVICES},
 * {@code WATCH}, {@code SKY}, {@code GST} and others are ignored. Fields gpsd leaves out stay null;
 * a position is kept only with mode 2 or 3 and an altitude only with mode 3, as in {@link GnssFix}.
 * Altitude is {@code altMSL}, or {@code alt} from gpsd before 3.20.
 */
final class GpsdTpv {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GpsdTpv() {
    }

    /**
     * @return the fix of a TPV line, empty for other report classes
     * @throws GpsdProtocolException for a line that is not a JSON object or a TPV with unusable fields
     */
    static Optional<GnssFix> parse(String line) {
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (JacksonException e) {
            throw new GpsdProtocolException("not JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            throw new GpsdProtocolException("not a JSON object");
        }
        if (!"TPV".equals(n.path("class").asText())) {
            return Optional.empty();
        }
        int mode = n.path("mode").asInt(0);
        if (mode < 0 || mode > 3) {
            throw new GpsdProtocolException("TPV mode " + mode + " is not 0..3");
        }
        mode = Math.max(mode, GnssFix.MODE_NO_FIX); // 0 is "not seen yet": no fix either
        boolean position = mode >= GnssFix.MODE_2D && n.has("lat") && n.has("lon");
        Double altitude = n.has("altMSL") ? number(n, "altMSL") : number(n, "alt");
        return Optional.of(new GnssFix(time(n), mode, position ? number(n, "lat") : null, position ? number(n, "lon") : null,
                mode == GnssFix.MODE_3D ? altitude : null, number(n, "speed"), number(n, "track")));
    }

    private static Instant time(JsonNode n) {
        if (!n.hasNonNull("time")) {
            return null;
        }
        try {
            return Instant.parse(n.get("time").asText());
        } catch (DateTimeParseException e) {
            throw new GpsdProtocolException("TPV time '" + n.get("time").asText() + "' is not ISO-8601");
        }
    }

    private static Double number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw new GpsdProtocolException("TPV " + field + " is not a number");
        }
        return v.asDouble();
    }
}
