package io.latchkey.cloud.booking;

import io.latchkey.cloud.InvalidRequestException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The filters of a booking list: car, borrower, states, a time range the bookings overlap, and the page.
 *
 * @param states empty for every state
 * @param from   with {@code to}: bookings whose {@code [start, end)} overlaps {@code [from, to)}; either alone is open-ended
 */
record BookingQuery(String carId, String userId, Set<Booking.State> states, Instant from, Instant to, int page, int size) {
    static final int DEFAULT_SIZE = 50;
    static final int MAX_SIZE = 200;

    /**
     * @param states repeated and/or comma-separated state names
     * @throws InvalidRequestException naming the parameter that is malformed
     */
    static BookingQuery parse(String carId, String userId, List<String> states, String from, String to, Integer page,
                              Integer size) {
        Set<Booking.State> parsed = EnumSet.noneOf(Booking.State.class);
        for (String value : states == null ? List.<String>of() : states) {
            for (String name : value.split(",")) {
                if (name.isBlank()) {
                    continue;
                }
                try {
                    parsed.add(Booking.State.valueOf(name.strip().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new InvalidRequestException("state must be one of " + List.of(Booking.State.values()) + ", got '"
                            + abbreviate(name) + "'");
                }
            }
        }
        Instant f = instant("from", from);
        Instant t = instant("to", to);
        if (f != null && t != null && !t.isAfter(f)) {
            throw new InvalidRequestException("to must be after from");
        }
        int p = page == null ? 0 : page;
        int s = size == null ? DEFAULT_SIZE : size;
        if (p < 0 || p > 1_000_000) {
            throw new InvalidRequestException("page must be 0..1000000");
        }
        if (s < 1 || s > MAX_SIZE) {
            throw new InvalidRequestException("size must be 1.." + MAX_SIZE);
        }
        return new BookingQuery(blankToNull(carId), blankToNull(userId), parsed, f, t, p, s);
    }

    boolean matches(Booking b) {
        return (carId == null || carId.equals(b.carId()))
                && (userId == null || userId.equals(b.userId()))
                && (states.isEmpty() || states.contains(b.state()))
                && (from == null || b.end().isAfter(from))
                && (to == null || b.start().isBefore(to));
    }

    /** The query string of page {@code n} with the same filters. */
    String queryFor(int n) {
        List<String> params = new ArrayList<>();
        if (carId != null) {
            params.add("carId=" + encode(carId));
        }
        if (userId != null) {
            params.add("userId=" + encode(userId));
        }
        if (!states.isEmpty()) {
            params.add("state=" + String.join(",", states.stream().map(Enum::name).toList()));
        }
        if (from != null) {
            params.add("from=" + from);
        }
        if (to != null) {
            params.add("to=" + to);
        }
        params.add("page=" + n);
        params.add("size=" + size);
        return String.join("&", params);
    }

    static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(name + " must be an ISO-8601 instant, e.g. 2026-05-01T10:00:00Z, got '"
                    + abbreviate(value) + "'");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String abbreviate(String value) {
        String clean = value.replaceAll("[^A-Za-z0-9_:.+-]", "?");
        return clean.length() > 40 ? clean.substring(0, 40) + "…" : clean;
    }
}
