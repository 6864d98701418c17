package io.latchkey.cloud.account;

import java.time.Instant;

/**
 * The security state of one account, {@code account-security/{userId}} in the tenant's store, apart from
 * the profile so that counting failures never rewrites PII.
 *
 * @param failedSignIns          consecutive failed sign-ins since the last success or lockout
 * @param lockedUntil            end of a temporary lockout (exclusive)
 * @param permanentLock          set by an operator, or by too many wrong reset answers; only an unlock lifts it
 * @param failedResetAnswers     wrong challenge answers since the last completed reset or unlock
 * @param sessionsRevokedAt      refresh tokens issued before this are refused
 * @param sessionVersion         carried by access tokens as {@code sv}; each revocation counts it up, so
 *                               every access token issued before is refused (exactly, unlike {@code iat}'s
 *                               whole seconds)
 */
public record AccountSecurity(int failedSignIns, Instant lockedUntil, PermanentLock permanentLock,
                              int failedResetAnswers, Instant sessionsRevokedAt, int sessionVersion) {
    public static final AccountSecurity CLEAN = new AccountSecurity(0, null, null, 0, null, 0);

    /** Why and by whom an account was locked for good. */
    public record PermanentLock(String reason, String by, Instant at) {
    }

    public boolean temporarilyLockedAt(Instant now) {
        return lockedUntil != null && now.isBefore(lockedUntil);
    }

    public boolean permanentlyLocked() {
        return permanentLock != null;
    }

    AccountSecurity withFailedSignIns(int count, Instant until) {
        return new AccountSecurity(count, until, permanentLock, failedResetAnswers, sessionsRevokedAt, sessionVersion);
    }

    AccountSecurity withPermanentLock(PermanentLock lock) {
        return new AccountSecurity(failedSignIns, lockedUntil, lock, failedResetAnswers, sessionsRevokedAt, sessionVersion);
    }

    AccountSecurity withFailedResetAnswers(int count) {
        return new AccountSecurity(failedSignIns, lockedUntil, permanentLock, count, sessionsRevokedAt, sessionVersion);
    }

    AccountSecurity withSessionsRevokedAt(Instant at) {
        return new AccountSecurity(failedSignIns, lockedUntil, permanentLock, failedResetAnswers, at, sessionVersion + 1);
    }
}
