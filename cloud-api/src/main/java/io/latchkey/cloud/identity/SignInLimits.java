package io.latchkey.cloud.identity;

import java.time.Duration;

/**
 * The policy's numbers for guessed passwords, the same for tenant users and platform admins: more than
 * {@value #MAX_FAILED_SIGN_INS} consecutive failed sign-ins lock the account for {@link #TEMPORARY_LOCKOUT}.
 */
public final class SignInLimits {
    public static final int MAX_FAILED_SIGN_INS = 5;
    public static final Duration TEMPORARY_LOCKOUT = Duration.ofMinutes(5);

    private SignInLimits() {
    }
}
