package io.latchkey.cloud.ota;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/** A tenant's update-verification public key (Ed25519, base64 X.509), as registered. */
@Serdeable
public record UpdateKey(String kid, String publicKey, Instant createdAt) {
}
