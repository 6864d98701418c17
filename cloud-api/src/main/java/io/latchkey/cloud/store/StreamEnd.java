package io.latchkey.cloud.store;

import java.util.Optional;

/**
 * Where a stream ends: its last record (none for an empty stream) and an opaque position that
 * {@link TenantStore#appendAt} compares with the stream's current end.
 */
public record StreamEnd(Optional<byte[]> lastRecord, String position) {
    public StreamEnd {
        java.util.Objects.requireNonNull(lastRecord, "lastRecord");
        java.util.Objects.requireNonNull(position, "position");
    }
}
