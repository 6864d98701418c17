package io.latchkey.protocol.telemetry;

import io.latchkey.protocol.LockState;
import java.time.Instant;

/**
 * Retained on the {@code state} channel. The agent publishes {@code online=true} when it connects
 * and registers {@code online=false} as its MQTT last will, so the cloud learns of silent drops.
 */
public record DeviceState(String deviceId, boolean online, LockState lockState, Instant at, String agentVersion) {
}
