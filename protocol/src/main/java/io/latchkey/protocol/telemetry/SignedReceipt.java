package io.latchkey.protocol.telemetry;

/**
 * What travels on the {@code receipt} channel: the exact bytes of a {@link TelemetryReceipt}'s JSON
 * (base64url), a detached Ed25519 signature over those bytes by the tenant's command key, and that key's
 * id. The same envelope as a signed command, so the car checks it against the keys it already pins.
 */
public record SignedReceipt(String payload, String signature, String keyId) {
}
