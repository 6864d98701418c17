package io.latchkey.cloud.access;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * Read-only access to one tenant's data until {@code expiresAt}.
 *
 * @param kind        {@code azure-sas}: {@code url} is the tenant's blob container with a SAS (read and list
 *                    only), usable with any Azure Storage client or tool; {@code export}: {@code url} is a
 *                    signed export link served by this backend (GET only)
 * @param url         the URL, credential included: whoever holds it can read until it expires
 * @param permissions what it allows, always {@code [read, list]}
 */
@Serdeable
public record DataAccessGrant(String kind, String url, Instant expiresAt, List<String> permissions) {
    public static final List<String> READ_ONLY = List.of("read", "list");

    @Override
    public String toString() {
        return "DataAccessGrant[" + kind + ", expires " + expiresAt + ", url hidden]";
    }
}
