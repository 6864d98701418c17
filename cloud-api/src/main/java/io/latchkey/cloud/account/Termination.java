package io.latchkey.cloud.account;

import io.latchkey.cloud.identity.UserAccount;
import io.latchkey.cloud.identity.UserDirectory;
import io.latchkey.cloud.outbox.Outbox;
import io.latchkey.cloud.pii.PiiCipher;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Account termination on request. The account record stays (id, roles, dates, and the audit trail that
 * names it by id), but every identifying value is erased in storage: the user document is overwritten
 * with {@link UserAccount#scrubbed}, the e-mail index entry is deleted, the outbox messages to the
 * user are erased, and then the user's data key is destroyed ({@link PiiCipher#shred}, audited
 * {@code user.pii.shred}), so that the values sealed under it stay unreadable in every copy of the store
 * taken before (backups, blob versions, soft-deleted blobs). All sessions end; the account can never sign in again.
 */
@Singleton
public class Termination {
    private final UserDirectory users;
    private final AccountLocks locks;
    private final Outbox outbox;
    private final AccountAudit audit;
    private final BookingCancellations bookings;
    private final PiiCipher cipher;
    private final Clock clock;

    public Termination(UserDirectory users, AccountLocks locks, Outbox outbox, AccountAudit audit,
                       BookingCancellations bookings, PiiCipher cipher, Clock clock) {
        this.cipher = cipher;
        this.users = users;
        this.locks = locks;
        this.outbox = outbox;
        this.audit = audit;
        this.bookings = bookings;
        this.clock = clock;
    }

    /**
     * Idempotent: terminating a terminated account changes nothing (but destroys its data key if an earlier
     * attempt stopped before that step).
     *
     * @param actor the user id of whoever asked (the user, or a tenant-admin)
     * @throws io.latchkey.cloud.NotFoundException for an unknown user
     */
    public void terminate(String tenant, String userId, String actor) {
        UserAccount user = users.require(tenant, userId);
        if (user.terminated()) {
            shred(tenant, userId, actor);
            return;
        }
        locks.revokeSessions(tenant, userId);
        users.update(tenant, userId, u -> u.terminated() ? u : u.scrubbed(clock.instant()));
        users.forgetEmail(tenant, user.email());
        outbox.eraseRecipient(tenant, userId);
        audit.record(tenant, actor, "user.terminate", AccountAudit.user(userId), "OK");
        shred(tenant, userId, actor);
        bookings.cancelOpenBookingsOf(tenant, userId, actor, BookingCancellations.ACCOUNT_TERMINATED);
    }

    /** Last, once nothing needs the key any more: what it sealed is then erased everywhere. */
    private void shred(String tenant, String userId, String actor) {
        if (cipher.shred(tenant, userId)) {
            audit.record(tenant, actor, "user.pii.shred", AccountAudit.user(userId), "KEY_DESTROYED");
        }
    }
}
