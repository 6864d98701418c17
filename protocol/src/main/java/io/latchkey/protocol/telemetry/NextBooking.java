package io.latchkey.protocol.telemetry;

import java.time.Instant;

/**
 * Retained on a car's {@code booking} channel, published by the backend whenever the car's next booking
 * changes: when it starts ({@code null}: no booking ahead). A sleeping car wakes ahead of it, so that it is
 * online when its borrower arrives. A hint for the car's power management only, never an authorisation:
 * only services may publish there (broker ACL), and a car that never hears one still wakes on its timer.
 */
public record NextBooking(String deviceId, Instant startsAt, Instant at) {
}
