package io.latchkey.cloud.booking;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * One page of a booking list.
 *
 * @param items the bookings on this page, by start, then id
 * @param page  this page's number, from 0
 * @param size  the most items a page holds
 * @param total how many bookings match, over all pages
 * @param next  the path and query of the next page, absent on the last
 */
@Serdeable
public record BookingPage(List<Booking> items, int page, int size, long total, @Nullable String next) {
    BookingPage withNext(String link) {
        return new BookingPage(items, page, size, total, link);
    }

    boolean hasMore() {
        return (long) (page + 1) * size < total;
    }
}
