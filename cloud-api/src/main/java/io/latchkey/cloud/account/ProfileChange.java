package io.latchkey.cloud.account;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * {@code PATCH /t/{tenant}/users/me}: a field that is absent (or null) stays as it is; an empty string
 * erases an optional field.
 */
@Serdeable
public record ProfileChange(@Nullable String name, @Nullable String phone, @Nullable String driverLicence,
                            @Nullable String dateOfBirth) {
    @Override
    public String toString() {
        return "ProfileChange";
    }
}
