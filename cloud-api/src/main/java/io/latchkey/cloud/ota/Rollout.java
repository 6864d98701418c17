package io.latchkey.cloud.ota;

import io.micronaut.core.annotation.Nullable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A rollout as stored ({@code rollouts/{id}}); its cars are in {@link RolloutDevice} documents of their own, so that the
 * statuses of many cars never contend for one document.
 *
 * @param waves       cumulative percentages of the target, ascending, the last 100
 * @param currentWave the index of the newest wave started (its cars and every earlier wave's are offered)
 */
record Rollout(String id, String releaseId, String version, State state, @Nullable String haltReason, Instant createdAt,
               String createdBy, Target target, List<Integer> waves, int failureThreshold, long deviceTimeoutSeconds,
               int currentWave, Instant waveStartedAt, Instant updatedAt) {

    enum State {
        RUNNING, PAUSED, HALTED, CANCELLED, COMPLETED
    }

    /** Exactly one of: every car, cars of a vehicle profile ({@code tag}), a list, a percentage of every car. */
    record Target(@Nullable Boolean all, @Nullable String tag, @Nullable List<String> cars, @Nullable Integer percent) {
    }

    Duration deviceTimeout() {
        return Duration.ofSeconds(deviceTimeoutSeconds);
    }

    Rollout with(State next, @Nullable String reason, Instant now) {
        return new Rollout(id, releaseId, version, next, reason, createdAt, createdBy, target, waves, failureThreshold, deviceTimeoutSeconds,
                currentWave, waveStartedAt, now);
    }

    Rollout atWave(int wave, Instant now) {
        return new Rollout(id, releaseId, version, state, haltReason, createdAt, createdBy, target, waves, failureThreshold,
                deviceTimeoutSeconds, wave, now, now);
    }
}
