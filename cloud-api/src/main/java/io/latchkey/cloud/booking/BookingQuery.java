package io.latchkey.cloud.booking;

import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.http.QueryParams;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The filters of a booking list: car, borrower, states, a time range the bookings overlap, and the page.
 *
 * @param states empty for every state
 * @param from       with {@code to}: bookings whose {@code [start, end)} overlaps {@code [from, to)}; either alone is open-ended
 * @param coDriving  only the bookings the caller is named on as a co-driver (instead of those the caller may see)
 */
record BookingQuery(String carId, String userId, Set<Booking.State> states, Instant from, Instant to, int page, int size,
                    boolean coDriving) {
    static final int DEFAULT_SIZE = 50;
    static final int MAX_SIZE = 200;

    /**
     * @param states repeated and/or comma-separated state names
     * @throws InvalidRequestException naming the parameter that is malformed
     */
    static BookingQuery parse(String carId, String userId, List<String> states, String from, String to, Integer page,
                              Integer size, String coDriving) {
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
                            + QueryParams.shown(name) + "'");
                }
            }
        }
        Instant f = QueryParams.instant("from", from);
        Instant t = QueryParams.instant("to", to);
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
        if (coDriving != null && !coDriving.equals("true") && !coDriving.equals("false")) {
            throw new InvalidRequestException("coDriving must be true or false, got '" + QueryParams.shown(coDriving) + "'");
        }
        return new BookingQuery(blankToNull(carId), blankToNull(userId), parsed, f, t, p, s, "true".equals(coDriving));
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
        if (coDriving) {
            params.add("coDriving=true");
        }
        params.add("page=" + n);
        params.add("size=" + size);
        return String.join("&", params);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

}
