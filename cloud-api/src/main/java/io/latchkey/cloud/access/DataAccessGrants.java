package io.latchkey.cloud.access;

import java.time.Duration;

/**
 * Mints read-only, time-limited access to a tenant's own data, for audits and reporting: nothing it
 * grants can create, change or delete anything. One implementation per store type.
 */
public interface DataAccessGrants {
    /** The longest validity policy allows. */
    Duration MAX_VALIDITY = Duration.ofDays(7);

    /**
     * @param validity more than zero, at most {@link #MAX_VALIDITY}
     * @throws IllegalArgumentException for a validity outside that range
     */
    DataAccessGrant grant(String tenant, Duration validity);

    static void requireValidity(Duration validity) {
        if (validity.isNegative() || validity.isZero() || validity.compareTo(MAX_VALIDITY) > 0) {
            throw new IllegalArgumentException("validity must be more than 0 and at most 7 days, got " + validity);
        }
    }
}
