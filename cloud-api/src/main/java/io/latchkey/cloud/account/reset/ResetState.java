package io.latchkey.cloud.account.reset;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * Where a reset stands, as its link's holder sees it.
 *
 * @param challenges       PII fields still to confirm ({@code phone}, {@code driverLicence}, {@code dateOfBirth})
 * @param readyForPassword true once no challenge is left: {@code POST .../{token}} with the new password
 * @param attemptsLeft     wrong answers left before the account is locked for good
 */
@Serdeable
public record ResetState(Instant expiresAt, List<String> challenges, boolean readyForPassword, int attemptsLeft) {
}
