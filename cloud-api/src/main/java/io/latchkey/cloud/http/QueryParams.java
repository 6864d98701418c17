package io.latchkey.cloud.http;

import io.latchkey.cloud.InvalidRequestException;
import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * How the API reads its query parameters' values, one rule for every route: an instant is ISO-8601 (e.g.
 * {@code 2026-05-01T08:00:00Z}), a flag is {@code true} or {@code false}; absent (or blank) is null, anything else a 400
 * that names the parameter and shows what was sent (abbreviated, only harmless characters).
 */
public final class QueryParams {
    private QueryParams() {
    }

    /** @throws InvalidRequestException when present and not an ISO-8601 instant */
    @Nullable
    public static Instant instant(String name, @Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(name + " must be an ISO-8601 instant, e.g. 2026-05-01T08:00:00Z, got '"
                    + shown(value) + "'");
        }
    }

    /** @throws InvalidRequestException when present and not {@code true} or {@code false} (any case) */
    @Nullable
    public static Boolean flag(String name, @Nullable String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.valueOf(value);
        }
        throw new InvalidRequestException(name + " must be true or false, got '" + shown(value) + "'");
    }

    /** A value as an error message may repeat it: harmless characters only, at most 40. */
    public static String shown(String value) {
        String clean = value.replaceAll("[^A-Za-z0-9_:.+-]", "?");
        return clean.length() > 40 ? clean.substring(0, 40) + "…" : clean;
    }
}
