package io.latchkey.cloud.ota;

import io.latchkey.protocol.key.TenantSigned;
import io.micronaut.core.annotation.Nullable;
import java.time.Instant;

/**
 * An uploaded, verified bundle (docs/ota.md §1): its manifest's version and minimum version, the file's size and
 * SHA-256, the update key that signed it. The bundle's bytes are stored beside it; {@code manifest} is what offers carry.
 */
public record Release(String id, String version, @Nullable String minVersion, long size, String sha256, String signerKeyId,
                      Instant createdAt, TenantSigned manifest) {
}
