package io.latchkey.cloud.rental;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * A tenant's rental policy ({@code rental-policy/policy} in the tenant's store; absent: the defaults).
 *
 * @param immobiliseWhenIdle a car is immobilised whenever no rental of it is active: {@code MOBILISE} when a rental
 *                           starts, {@code IMMOBILISE} when it ends (see {@link Immobiliser}); default off
 * @param changedAt          when a tenant-admin last changed it (null: never)
 * @param changedBy          who (a user id)
 */
@Serdeable
public record RentalPolicy(boolean immobiliseWhenIdle, @Nullable Instant changedAt, @Nullable String changedBy) {
    public static final RentalPolicy DEFAULT = new RentalPolicy(false, null, null);
}
