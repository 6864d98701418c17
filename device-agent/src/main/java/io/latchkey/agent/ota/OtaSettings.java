package io.latchkey.agent.ota;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The device's update settings ({@code ota.*}, docs/ota.md §6).
 *
 * @param windowStart    the maintenance window's start (installs only inside it); equal to the end: any time
 * @param windowEnd      its end; before the start: the window spans midnight
 * @param zone           the zone the window is in
 * @param selfTestTimeout how long a release on trial has to connect and pass its self-test before it rolls back
 * @param bytesPerDay    the download budget per UTC day
 * @param attempts       download attempts per offer
 * @param retryInitial   the first wait between attempts (doubling)
 * @param retryMax       the longest wait
 * @param recheck        how often a verified release waiting for the window or an idle car checks again
 */
public record OtaSettings(LocalTime windowStart, LocalTime windowEnd, ZoneId zone, Duration selfTestTimeout, long bytesPerDay,
                          int attempts, Duration retryInitial, Duration retryMax, Duration recheck) {
    public static final LocalTime DEFAULT_WINDOW_START = LocalTime.of(1, 0);
    public static final LocalTime DEFAULT_WINDOW_END = LocalTime.of(5, 0);
    public static final Duration DEFAULT_SELFTEST_TIMEOUT = Duration.ofMinutes(5);
    public static final long DEFAULT_BYTES_PER_DAY = 50L * 1024 * 1024;
    public static final int DEFAULT_ATTEMPTS = 5;
    public static final Duration DEFAULT_RETRY_INITIAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_RETRY_MAX = Duration.ofMinutes(30);
    public static final Duration DEFAULT_RECHECK = Duration.ofMinutes(5);

    public static OtaSettings defaults() {
        return new OtaSettings(DEFAULT_WINDOW_START, DEFAULT_WINDOW_END, ZoneId.of("UTC"), DEFAULT_SELFTEST_TIMEOUT, DEFAULT_BYTES_PER_DAY,
                DEFAULT_ATTEMPTS, DEFAULT_RETRY_INITIAL, DEFAULT_RETRY_MAX, DEFAULT_RECHECK);
    }

    /** Whether {@code now} is inside the maintenance window. */
    public boolean inWindow(java.time.Instant now) {
        if (windowStart.equals(windowEnd)) {
            return true;
        }
        LocalTime t = ZonedDateTime.ofInstant(now, zone).toLocalTime();
        return windowStart.isBefore(windowEnd)
                ? !t.isBefore(windowStart) && t.isBefore(windowEnd)
                : !t.isBefore(windowStart) || t.isBefore(windowEnd);
    }

    /** Parses {@code HH:mm-HH:mm}. */
    public static LocalTime[] window(String value) {
        String[] parts = value.strip().split("-");
        if (parts.length != 2) {
            throw new IllegalArgumentException("ota.window: expected HH:mm-HH:mm, got '" + value + "'");
        }
        try {
            return new LocalTime[] {LocalTime.parse(parts[0].strip()), LocalTime.parse(parts[1].strip())};
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("ota.window: expected HH:mm-HH:mm, got '" + value + "'");
        }
    }
}
