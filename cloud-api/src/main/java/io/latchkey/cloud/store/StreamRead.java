package io.latchkey.cloud.store;

import java.util.List;
import java.util.Objects;

/**
 * The records of a stream after a position ({@link TenantStore#since}) and the position where they end,
 * which a later {@code since} or {@link TenantStore#appendAllAt} starts from.
 */
public record StreamRead(List<byte[]> records, String position) {
    public StreamRead {
        records = List.copyOf(records);
        Objects.requireNonNull(position, "position");
    }
}
