package io.latchkey.cloud.live;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * Bounds of the live feed and of its streams ({@code GET /t/{tenant}/fleet/stream}).
 *
 * @param replayEvents    {@code latchkey.live.replay-events}: events kept per tenant for resuming with
 *                        {@code Last-Event-ID} (default 10000; 100 to 1000000)
 * @param connectionQueue {@code latchkey.live.connection-queue}: events waiting for one slow stream before it is
 *                        dropped (default 1000; 1 to 100000)
 * @param keepAlive       {@code latchkey.live.keep-alive}: a comment line on an idle stream this often (default 15s;
 *                        1s to 5m)
 * @param accessRecheck   {@code latchkey.live.access-recheck}: how long one stream trusts a borrower's access
 *                        decision for one car before asking {@code CarAccess} again (default 1s; 0s to 1m)
 * @param snapshotRefresh {@code latchkey.live.snapshot-refresh}: age at which the fleet's in-memory snapshot of the bookings
 *                        covering now and of the car list is refreshed (default 2s; 100ms to 1m)
 */
@ConfigurationProperties("latchkey.live")
public record LiveConfig(@Bindable(defaultValue = "10000") int replayEvents,
                         @Bindable(defaultValue = "1000") int connectionQueue,
                         @Bindable(defaultValue = "15s") Duration keepAlive,
                         @Bindable(defaultValue = "1s") Duration accessRecheck,
                         @Bindable(defaultValue = "2s") Duration snapshotRefresh) {
    public static final String PREFIX = "latchkey.live.";

    public LiveConfig {
        range("replay-events", replayEvents, 100, 1_000_000);
        range("connection-queue", connectionQueue, 1, 100_000);
        require("keep-alive", keepAlive, Duration.ofSeconds(1), Duration.ofMinutes(5), "1s and 5m");
        require("access-recheck", accessRecheck, Duration.ZERO, Duration.ofMinutes(1), "0s and 1m");
        require("snapshot-refresh", snapshotRefresh, Duration.ofMillis(100), Duration.ofMinutes(1), "100ms and 1m");
    }

    private static void range(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ConfigurationException(PREFIX + key + " must be between " + min + " and " + max + ", got " + value);
        }
    }

    private static void require(String key, Duration value, Duration min, Duration max, String range) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new ConfigurationException(PREFIX + key + " must be a duration between " + range + ", got " + value);
        }
    }
}
