package io.latchkey.hal.time;

import java.time.Instant;
import java.util.Optional;

/**
 * A battery-backed hardware real-time clock where one is fitted (a DS3231 or PCF85063 on the Pi's I2C, or the Pi 5's
 * own RTC with its battery). The car's time for offline keys (docs/offline-keys.md §7) trusts it only when the car
 * itself set it from a trusted source since it last lost power; this interface only reads and sets it.
 */
public interface Rtc extends AutoCloseable {
    /**
     * The time the RTC holds, or empty when it holds none it vouches for (never set since it lost power: the chip
     * flags its oscillator as stopped and the kernel refuses to read it).
     *
     * @throws io.latchkey.hal.HalException if the RTC cannot be reached at all
     */
    Optional<Instant> read();

    /**
     * Sets the RTC to {@code time} (whole seconds, UTC).
     *
     * @throws io.latchkey.hal.HalException if it could not be set
     */
    void set(Instant time);

    /** Which RTC this is, for the log ({@code rtc0 (rtc-ds1307)}, {@code simulated}). */
    String name();

    @Override
    default void close() {
    }
}
