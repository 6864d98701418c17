package io.latchkey.cloud.store;

import java.util.Objects;

/**
 * A stored value and its opaque version (an ETag): pass the version back to
 * {@link TenantStore#replace} to write only if nobody changed the document in between.
 */
public record Versioned<T>(T value, String version) {
    public Versioned {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(version, "version");
    }
}
