package io.latchkey.cloud.account;

import io.latchkey.cloud.identity.AccessToken;
import io.latchkey.cloud.identity.SessionPolicy;
import io.latchkey.cloud.identity.UserDirectory;
import io.latchkey.cloud.store.Stores;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether a verified token still speaks for a live account: the account exists, is not terminated, not
 * locked for good, and the token was issued after the account's sessions were last revoked (password
 * reset, lock, termination): refresh tokens by their stored issue time, access tokens by the session
 * version they carry. A temporary lockout does not end sessions: whoever guesses passwords must
 * not be able to log the real user out.
 */
@Singleton
public class SessionGate implements SessionPolicy {
    private final UserDirectory users;
    private final AccountLocks locks;
    private final AccountAudit audit;

    private final ExecutorService io;
    private final boolean shared;

    public SessionGate(UserDirectory users, AccountLocks locks, AccountAudit audit,
                       @Named(TaskExecutors.IO) ExecutorService io, Stores stores) {
        this.users = users;
        this.locks = locks;
        this.audit = audit;
        this.io = io;
        this.shared = !stores.writtenByThisProcessOnly();
    }

    @Override
    public boolean admits(AccessToken token) {
        if (token.tenant() == null) {
            return true;
        }
        return live(token.tenant(), token.subject())
                .filter(s -> token.sessionVersion() != null && token.sessionVersion() == s.sessionVersion())
                .isPresent();
    }

    @Override
    public boolean admitsRefresh(String tenant, String userId, Instant issuedAt) {
        return live(tenant, userId)
                .filter(s -> s.sessionsRevokedAt() == null || issuedAt.isAfter(s.sessionsRevokedAt()))
                .isPresent();
    }

    @Override
    public int sessionVersion(String tenant, String userId) {
        return locks.of(tenant, userId).sessionVersion();
    }

    @Override
    public void endAll(String tenant, String userId, String reason) {
        locks.revokeSessions(tenant, userId);
        audit.record(tenant, AccountAudit.SYSTEM_ACTOR, "user.sessions.end", AccountAudit.user(userId), reason);
    }

    /**
     * The account and its security record are two independent documents: both are read on every request, together
     * (one store round trip instead of two on a shared store), and neither is cached, so a termination, a lock or a
     * session reset made on any replica ends the next request on every replica.
     */
    private Optional<AccountSecurity> live(String tenant, String userId) {
        if (!shared) {
            // this process's own files: a read costs less than handing it to another thread
            if (users.find(tenant, userId).filter(u -> !u.terminated()).isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(locks.of(tenant, userId)).filter(s -> !s.permanentlyLocked());
        }
        CompletableFuture<AccountSecurity> security = CompletableFuture.supplyAsync(() -> locks.of(tenant, userId), io);
        boolean alive;
        try {
            alive = users.find(tenant, userId).filter(u -> !u.terminated()).isPresent();
        } catch (RuntimeException e) {
            security.cancel(false);
            throw e;
        }
        if (!alive) {
            return Optional.empty();
        }
        try {
            return Optional.of(security.join()).filter(s -> !s.permanentlyLocked());
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }
}
