package io.latchkey.simulator.rollout;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Who runs the rollout the simulation watches: the backend's rollout API ({@link ApiRollouts}, the operator's
 * {@code POST /t/{t}/rollouts}) or the simulator's own stand-in ({@link LocalRollouts}, offers published on the broker
 * directly). Both publish the same {@code OtaOffer}s and read the cars' signed {@code ota-status}.
 */
public interface RolloutControl extends AutoCloseable {
    /** The release, the cars, the waves (cumulative percentages), the failure threshold (% of a wave) and the time-out. */
    record Plan(SyntheticRelease.Bundle bundle, List<String> carIds, List<Integer> waves, int failureThreshold,
                Duration deviceTimeout) {
    }

    /** The rollout's state ({@code RUNNING}, {@code HALTED}, {@code COMPLETED}, …) and its waves. */
    record View(String id, String state, List<Wave> waves, Map<String, Integer> counts) {
        public boolean isOver() {
            return !"RUNNING".equals(state) && !"PENDING".equals(state) && !"PAUSED".equals(state) && !"CREATED".equals(state);
        }
    }

    record Wave(int index, int cars, String state, Map<String, Integer> counts) {
    }

    /** One device in the rollout: its wave and latest state (an {@code OtaState} name, or PENDING, OFFERED, TIMED_OUT, …). */
    record Device(String carId, String deviceId, int wave, String state, String reason, String version, Instant at) {
    }

    /** Uploads what it must and starts the rollout; returns its id. */
    String start(Plan plan) throws Exception;

    View view() throws Exception;

    List<Device> devices() throws Exception;

    /** Bytes of the bundle served to each device, if this control serves it (the stand-in), else empty. */
    default Map<String, Long> bytesServed() {
        return Map.of();
    }

    @Override
    default void close() {
    }
}
