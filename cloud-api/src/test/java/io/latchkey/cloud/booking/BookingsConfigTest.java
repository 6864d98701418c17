package io.latchkey.cloud.booking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.exceptions.ConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The range of {@code reservation-hold}: seconds for tests and CI, never less than {@link BookingsConfig#MIN_RESERVATION_HOLD}. */
class BookingsConfigTest {
    static BookingsConfig withHold(Duration hold) {
        return new BookingsConfig(Duration.ofDays(90), Duration.ofDays(31), 5, Duration.ofMinutes(15), hold, Duration.ofHours(1),
                Duration.ofMinutes(1));
    }

    @Test
    void aHoldOfFiveSeconds_isAllowed_andKeptExactly() {
        assertThat(withHold(Duration.ofSeconds(5)).reservationHold()).isEqualTo(Duration.ofSeconds(5));
        assertThat(withHold(Duration.ofSeconds(30)).reservationHold()).isEqualTo(Duration.ofSeconds(30));
        assertThat(withHold(Duration.ofHours(2)).reservationHold()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void aHoldBelowFiveSeconds_orAboveTwoHours_orMissing_isRefusedNamingTheKeyAndTheRange() {
        for (Duration bad : new Duration[] {Duration.ofMillis(4999), Duration.ZERO, Duration.ofSeconds(-5),
                Duration.ofHours(2).plusSeconds(1), null}) {
            assertThatThrownBy(() -> withHold(bad)).as(String.valueOf(bad)).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("latchkey.bookings.reservation-hold must be a duration between 5s and 2h");
        }
    }
}
