package io.latchkey.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads the one form of time the wire carries, {@code 2026-12-06T09:31:04.123Z} (UTC, 0-9 fraction digits, what
 * {@link Instant#toString()} writes), without {@code DateTimeFormatter}: parsing a telemetry batch's 50 times through
 * {@code DateTimeFormatter.ISO_INSTANT} was half of what reading the batch cost a replica (docs/benchmarks-scale.md,
 * "Ingestion: what a batch costs"). Anything else (an offset, lower case, a leap second, a number, a year beyond 9999,
 * a value that is no date) goes to Jackson's own {@link InstantDeserializer}, so every input gives the same instant,
 * or the same error, as before.
 */
final class FastInstants extends StdScalarDeserializer<Instant> implements ContextualDeserializer {
    private final JsonDeserializer<Instant> fallback;

    FastInstants() {
        this(InstantDeserializer.INSTANT);
    }

    private FastInstants(JsonDeserializer<Instant> fallback) {
        super(Instant.class);
        this.fallback = fallback;
    }

    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.hasToken(JsonToken.VALUE_STRING)) {
            Instant fast = parse(p.getText());
            if (fast != null) {
                return fast;
            }
        }
        return fallback.deserialize(p, ctxt);
    }

    @Override
    @SuppressWarnings("unchecked")
    public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property)
            throws com.fasterxml.jackson.databind.JsonMappingException {
        JsonDeserializer<?> contextual = fallback instanceof ContextualDeserializer c
                ? c.createContextual(ctxt, property) : fallback;
        // a property with its own format (none on the wire types today) is read by Jackson alone
        return contextual == fallback ? this : contextual;
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, a valid date and time, or null. */
    static Instant parse(String s) {
        int n = s.length();
        if (n < 20 || n > 30 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || hour > 23 || minute > 59
                || second > 59) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            int fraction = n - 21;
            if (s.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            int f = digits(s, 20, n - 1);
            if (f < 0) {
                return null;
            }
            for (int i = fraction; i < 9; i++) {
                f *= 10;
            }
            nanos = f;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null;
        }
        return Instant.ofEpochSecond(epochDay * 86_400L + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal number in {@code s[from, to)}, or -1 if any of it is not an ASCII digit. */
    private static int digits(String s, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
