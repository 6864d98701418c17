package io.latchkey.cloud.ota;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;

/**
 * One car of a rollout ({@code rollout-devices.{rolloutId}/{carId}}).
 *
 * @param state         {@code PENDING}, {@code OFFERED}, {@code DEFERRED}, an {@link io.latchkey.protocol.ota.OtaState}
 *                      name, or {@code TIMED_OUT}
 * @param version       the version the car last said it runs
 * @param at            the last change (backend clock): the device time-out counts from here
 * @param offeredAt     when the offer was last published
 * @param deferredSince when the car was first found busy
 */
record RolloutDevice(String carId, String deviceId, int wave, String state, @Nullable String reason, @Nullable String version,
                     Instant at, @Nullable Instant offeredAt, @Nullable Instant deferredSince) {
    static final String PENDING = "PENDING";
    static final String OFFERED = "OFFERED";
    static final String DEFERRED = "DEFERRED";
    static final String TIMED_OUT = "TIMED_OUT";

    /** Over for this car: it will not be offered again and does not hold its wave. */
    boolean terminal() {
        return switch (state) {
            case "UPDATED", "FAILED", "ROLLED_BACK", TIMED_OUT -> true;
            default -> false;
        };
    }

    boolean failed() {
        return switch (state) {
            case "FAILED", "ROLLED_BACK", TIMED_OUT -> true;
            default -> false;
        };
    }

    /** Offered and not yet over: the car holds its wave until it answers or times out. */
    boolean inFlight() {
        return !terminal() && !PENDING.equals(state) && !DEFERRED.equals(state);
    }

    RolloutDevice to(String next, @Nullable String why, Instant now) {
        return new RolloutDevice(carId, deviceId, wave, next, why, version, now, offeredAt, deferredSince);
    }
}
