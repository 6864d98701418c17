package io.latchkey.protocol.telemetry;

import io.latchkey.protocol.LockState;
import java.time.Instant;

/**
 * Retained on the {@code state} channel. The agent publishes {@code online=true} when it connects
 * and registers {@code online=false} as its MQTT last will, so the cloud learns of silent drops.
 *
 * <p>{@code powerState} ({@code NORMAL}, {@code ECONOMY}, {@code SLEEP}, {@code PROTECT}; absent from agents that
 * predate power states) and {@code nextWake} (when a car going to sleep or into protection will be back
 * online, at the latest; absent when awake): a car publishes them with {@code online=false} just before it
 * turns its radio off, so the cloud can answer a command to it at once ("asleep, next wake at ...").
 */
public record DeviceState(String deviceId, boolean online, LockState lockState, Instant at, String agentVersion,
                          String powerState, Instant nextWake) {

    public DeviceState(String deviceId, boolean online, LockState lockState, Instant at, String agentVersion) {
        this(deviceId, online, lockState, at, agentVersion, null, null);
    }
}
