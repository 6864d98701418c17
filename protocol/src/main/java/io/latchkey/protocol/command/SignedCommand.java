package io.latchkey.protocol.command;

/**
 * What travels on the {@code cmd} channel: the exact bytes of the command's JSON (base64url), a
 * detached Ed25519 signature over those bytes, and the id of the tenant key that made it. Signing the
 * bytes rather than a re-serialised object means nobody has to agree on a canonical JSON form.
 */
public record SignedCommand(String payload, String signature, String keyId) {
}
