package io.latchkey.cloud.booking;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.cloud.store.StoreJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Bookings stored before states existed read as CONFIRMED, SCHEDULED, and hold their car as they did. */
class StoredBookingsTest {
    static final String BEFORE_STATES = """
            {"bookings":[{"id":"b-1","carId":"car-1","userId":"u-1","start":"2026-05-01T10:00:00Z",
            "end":"2026-05-01T12:00:00Z","createdAt":"2026-04-01T10:00:00Z"}]}""";

    @Test
    void aBookingWithoutState_readsAsConfirmedScheduled_andHoldsItsWindow() {
        CarBookings doc = StoreJson.read(BEFORE_STATES.getBytes(StandardCharsets.UTF_8), CarBookings.class);
        Booking b = doc.bookings().get(0);
        assertThat(b.state()).isEqualTo(Booking.State.CONFIRMED);
        assertThat(b.kind()).isEqualTo(Booking.Kind.SCHEDULED);
        assertThat(b.overdue()).isFalse();
        Instant before = Instant.parse("2026-04-30T10:00:00Z");
        assertThat(doc.blocked(Instant.parse("2026-05-01T11:00:00Z"), Instant.parse("2026-05-01T13:00:00Z"), before, null)).isTrue();
        assertThat(doc.blocked(Instant.parse("2026-05-01T12:00:00Z"), Instant.parse("2026-05-01T13:00:00Z"), before, null)).isFalse();
        assertThat(b.givesAccessAt(Instant.parse("2026-05-01T11:00:00Z"))).isTrue();
        assertThat(b.givesAccessAt(Instant.parse("2026-05-01T12:00:00Z"))).isFalse();
    }

    @Test
    void aBookingWrittenNow_readsBackTheSame() {
        Booking b = Booking.confirmed("b-2", "car-1", "u-1", Instant.parse("2026-05-01T10:00:00Z"),
                Instant.parse("2026-05-01T12:00:00Z"), Instant.parse("2026-05-01T10:00:00Z"), Booking.Kind.IMMEDIATE,
                Instant.parse("2026-05-01T10:15:00Z")).activated(Instant.parse("2026-05-01T10:05:00Z"));
        CarBookings doc = new CarBookings(java.util.List.of(b));
        assertThat(StoreJson.read(StoreJson.write(doc), CarBookings.class)).isEqualTo(doc);
    }
}
