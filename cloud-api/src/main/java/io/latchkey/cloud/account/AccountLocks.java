package io.latchkey.cloud.account;

import io.latchkey.cloud.identity.SignInLimits;
import io.latchkey.cloud.identity.SignInLimits.Admission;
import io.latchkey.cloud.store.JsonCollection;
import io.latchkey.cloud.store.Stores;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * Lockouts and session revocation, with the policy's numbers: more than {@value #MAX_FAILED_SIGN_INS}
 * consecutive failed sign-ins lock the account for {@link #TEMPORARY_LOCKOUT}; {@value #MAX_FAILED_RESET_ANSWERS}
 * wrong reset answers lock it permanently; an operator can lock and unlock it. Every time rule reads the
 * injected clock.
 */
@Singleton
public class AccountLocks {
    public static final int MAX_FAILED_SIGN_INS = SignInLimits.MAX_FAILED_SIGN_INS;
    public static final Duration TEMPORARY_LOCKOUT = SignInLimits.TEMPORARY_LOCKOUT;
    public static final int MAX_FAILED_RESET_ANSWERS = 4;
    public static final String BY_OPERATOR = "OPERATOR";
    public static final String FAILED_RESET = "FAILED_RESET";

    private final Stores stores;
    private final BookingCancellations bookings;
    private final Clock clock;

    public AccountLocks(Stores stores, BookingCancellations bookings, Clock clock) {
        this.stores = stores;
        this.bookings = bookings;
        this.clock = clock;
    }

    public AccountSecurity of(String tenant, String userId) {
        return collection(tenant).get(userId).orElse(AccountSecurity.CLEAN);
    }

    /**
     * Takes one sign-in attempt before its password is checked, counting it as a failure in the same
     * conditional write that reads the count: the sixth in a row locks the account at once (see
     * {@link Admission}). A permanent lock admits nothing.
     */
    public Admission admitSignIn(String tenant, String userId) {
        Instant now = clock.instant();
        AtomicReference<Admission> admission = new AtomicReference<>();
        change(tenant, userId, s -> {
            if (s.permanentlyLocked() || s.temporarilyLockedAt(now)) {
                admission.set(Admission.LOCKED);
                return s;
            }
            if (SignInLimits.locksAfter(s.failedSignIns())) {
                admission.set(Admission.CHECK_LAST);
                return s.withFailedSignIns(0, now.plus(TEMPORARY_LOCKOUT));
            }
            admission.set(Admission.CHECK);
            return s.withFailedSignIns(s.failedSignIns() + 1, s.lockedUntil());
        });
        return admission.get();
    }

    /** The password of an admitted attempt was right: failures forgotten, and the attempt's own lock lifted. */
    public void recordSuccessfulSignIn(String tenant, String userId, Admission admission) {
        change(tenant, userId, s -> s.withFailedSignIns(0, admission == Admission.CHECK_LAST ? null : s.lockedUntil()));
    }

    /** Locks for good, ends every session of the account and cancels its open bookings. */
    public void lockPermanently(String tenant, String userId, String reason, String by) {
        Instant now = clock.instant();
        change(tenant, userId, s -> s.withPermanentLock(new AccountSecurity.PermanentLock(reason, by, now))
                .withSessionsRevokedAt(now));
        bookings.cancelOpenBookingsOf(tenant, userId, by, BookingCancellations.ACCOUNT_LOCKED);
    }

    /** Lifts permanent and temporary locks and forgets failed attempts; revoked sessions stay revoked. */
    public void unlock(String tenant, String userId) {
        change(tenant, userId, s -> s.withPermanentLock(null).withFailedSignIns(0, null).withFailedResetAnswers(0));
    }

    /**
     * Takes one reset-answer attempt before the answers are compared, counting it as wrong until it is refunded
     * ({@link #refundResetAnswer}) or confirmed ({@link #confirmWrongResetAnswer}), in the same conditional write
     * that reads the count: so parallel answer sets cannot all read "not locked yet" and each be compared. At
     * most {@value #MAX_FAILED_RESET_ANSWERS} sets are compared before the lock, under any concurrency.
     *
     * @return false when the account is locked for good, or every attempt before the lock is taken
     */
    public boolean admitResetAnswer(String tenant, String userId) {
        AtomicBoolean admitted = new AtomicBoolean();
        change(tenant, userId, s -> {
            admitted.set(!s.permanentlyLocked() && s.failedResetAnswers() < MAX_FAILED_RESET_ANSWERS);
            return admitted.get() ? s.withFailedResetAnswers(s.failedResetAnswers() + 1) : s;
        });
        return admitted.get();
    }

    /** The admitted answers were right: the attempt does not count. */
    public void refundResetAnswer(String tenant, String userId) {
        change(tenant, userId, s -> s.withFailedResetAnswers(Math.max(0, s.failedResetAnswers() - 1)));
    }

    /**
     * The admitted answers were wrong (already counted). Returns how many wrong sets are left, 0 meaning the
     * account is now locked for good, its sessions ended and its open bookings cancelled.
     */
    public int confirmWrongResetAnswer(String tenant, String userId) {
        Instant now = clock.instant();
        AtomicBoolean locked = new AtomicBoolean();
        AccountSecurity after = change(tenant, userId, s -> {
            locked.set(s.failedResetAnswers() >= MAX_FAILED_RESET_ANSWERS && !s.permanentlyLocked());
            return locked.get()
                    ? s.withPermanentLock(new AccountSecurity.PermanentLock(FAILED_RESET, "system", now)).withSessionsRevokedAt(now)
                    : s;
        });
        if (locked.get()) {
            bookings.cancelOpenBookingsOf(tenant, userId, AccountAudit.SYSTEM_ACTOR, BookingCancellations.ACCOUNT_LOCKED);
        }
        return after.permanentlyLocked() ? 0 : Math.max(0, MAX_FAILED_RESET_ANSWERS - after.failedResetAnswers());
    }

    /** After a completed password reset: failures forgotten, temporary lockout lifted, all sessions ended. */
    public void passwordReset(String tenant, String userId) {
        Instant now = clock.instant();
        change(tenant, userId, s -> s.withFailedSignIns(0, null).withFailedResetAnswers(0).withSessionsRevokedAt(now));
    }

    public void revokeSessions(String tenant, String userId) {
        Instant now = clock.instant();
        change(tenant, userId, s -> s.withSessionsRevokedAt(now));
    }

    private AccountSecurity change(String tenant, String userId, UnaryOperator<AccountSecurity> change) {
        return collection(tenant).upsert(userId, AccountSecurity.CLEAN, change);
    }

    private JsonCollection<AccountSecurity> collection(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), "account-security", AccountSecurity.class);
    }
}
