package io.latchkey.cloud.identity;

import java.time.Duration;

/**
 * The policy's numbers for guessed passwords, the same for tenant users and platform admins: more than
 * {@value #MAX_FAILED_SIGN_INS} consecutive failed sign-ins lock the account for {@link #TEMPORARY_LOCKOUT}.
 */
public final class SignInLimits {
    public static final int MAX_FAILED_SIGN_INS = 5;
    public static final Duration TEMPORARY_LOCKOUT = Duration.ofMinutes(5);

    /**
     * What one sign-in attempt may do, decided on the stored count in the same conditional write that
     * counts it, before any password is checked: so parallel guesses cannot all read "not locked yet"
     * and each check a password. At most {@value #MAX_FAILED_SIGN_INS} + 1 passwords are checked
     * between two lockouts, under any concurrency.
     */
    public enum Admission {
        /** The password may be checked; the attempt is already counted as a failure until it succeeds. */
        CHECK,
        /**
         * The password may be checked, and this attempt already locked the account (it is the one more than
         * {@value #MAX_FAILED_SIGN_INS}): a wrong password leaves the lock in place, the right one lifts it.
         */
        CHECK_LAST,
        /** Locked (or every attempt before the lock is taken): no password is checked. */
        LOCKED;

        public boolean mayCheck() {
            return this != LOCKED;
        }
    }

    /**
     * The count after taking one more attempt, given {@code failures} consecutive failures (counted
     * attempts) so far: {@code failures + 1} while that is at most {@value #MAX_FAILED_SIGN_INS}; 0
     * (and a lockout) for the one after.
     */
    public static boolean locksAfter(int failures) {
        return failures + 1 > MAX_FAILED_SIGN_INS;
    }

    private SignInLimits() {
    }
}
