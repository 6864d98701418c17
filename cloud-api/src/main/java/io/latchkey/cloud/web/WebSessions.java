package io.latchkey.cloud.web;

import io.latchkey.cloud.identity.AccessToken;
import io.latchkey.cloud.identity.OpaqueTokens;
import io.latchkey.cloud.identity.SessionPolicy;
import io.latchkey.cloud.identity.UserAccount;
import io.latchkey.cloud.identity.UserDirectory;
import io.latchkey.cloud.store.JsonCollection;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.VersionConflictException;
import io.latchkey.cloud.store.Versioned;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The backend-for-frontend's sessions: what the browser's session cookie stands for, kept in the tenant's store
 * under the SHA-256 of the cookie value ({@code web-sessions/{digest}}). A session speaks for its account exactly
 * as an access token would: it carries the account's session version when it began, so a permanent lock, a
 * termination, a completed password reset or a reused authorization code (which all count the version up) end it at
 * once, and it is refused for an account that is gone or locked for good ({@link SessionPolicy#admits}). It also
 * ends when unused for {@code latchkey.web.session-idle}, after {@code latchkey.web.session-max}, and at logout.
 */
@Singleton
public class WebSessions {
    /** A session's last use is written at most this often (reads are free; writes cost a store round trip). */
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    record StoredSession(String userId, String clientId, String csrfToken, int sessionVersion, Instant createdAt,
                         Instant lastUsedAt, Instant expiresAt) {
        StoredSession touched(Instant at) {
            return new StoredSession(userId, clientId, csrfToken, sessionVersion, createdAt, at, expiresAt);
        }
    }

    /** A live session: who it is, and the token its state-changing calls must send in {@code X-CSRF-Token}. */
    public record Active(String key, String userId, java.util.List<String> roles, String clientId, String csrfToken,
                         Instant expiresAt) {
    }

    /** A new session: the cookie value (only in the Set-Cookie header) and its CSRF token. */
    public record Created(String cookieValue, Active session) {
    }

    private final Stores stores;
    private final UserDirectory users;
    private final SessionPolicy sessions;
    private final WebConfig config;
    private final SecureRandom random;
    private final Clock clock;

    public WebSessions(Stores stores, UserDirectory users, SessionPolicy sessions, WebConfig config, SecureRandom random,
                       Clock clock) {
        this.stores = stores;
        this.users = users;
        this.sessions = sessions;
        this.config = config;
        this.random = random;
        this.clock = clock;
    }

    public Created create(String tenant, UserAccount user, String clientId) {
        String cookie = OpaqueTokens.newToken(random);
        String csrf = OpaqueTokens.newToken(random);
        Instant now = clock.instant();
        StoredSession stored = new StoredSession(user.id(), clientId, csrf, sessions.sessionVersion(tenant, user.id()), now,
                now, now.plus(config.sessionMax()));
        String key = OpaqueTokens.digest(cookie);
        collection(tenant).create(key, stored);
        return new Created(cookie, new Active(key, user.id(), user.roles(), clientId, csrf, stored.expiresAt()));
    }

    /** The live session the cookie value stands for; empty for an unknown, ended, idle, expired or revoked one. */
    public Optional<Active> find(String tenant, String cookieValue) {
        String key = OpaqueTokens.digest(cookieValue);
        JsonCollection<StoredSession> collection = collection(tenant);
        Optional<Versioned<StoredSession>> found = collection.find(key);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        StoredSession stored = found.get().value();
        Instant now = clock.instant();
        if (!now.isBefore(stored.expiresAt()) || !now.isBefore(stored.lastUsedAt().plus(config.sessionIdle()))) {
            collection.delete(key);
            return Optional.empty();
        }
        Optional<UserAccount> user = users.find(tenant, stored.userId());
        if (user.isEmpty() || !sessions.admits(new AccessToken(stored.userId(), tenant, user.get().roles(), key,
                stored.sessionVersion(), stored.expiresAt()))) {
            return Optional.empty();
        }
        if (!now.isBefore(stored.lastUsedAt().plus(TOUCH_EVERY))) {
            try {
                collection.replace(key, stored.touched(now), found.get().version());
            } catch (VersionConflictException e) {
                // a parallel request of the same session touched it
            }
        }
        return Optional.of(new Active(key, stored.userId(), user.get().roles(), stored.clientId(), stored.csrfToken(),
                stored.expiresAt()));
    }

    /** Ends the session on the server: its cookie is worth nothing afterwards, wherever a copy of it is. */
    public void end(String tenant, String key) {
        collection(tenant).delete(key);
    }

    /**
     * Removes the tenant's sessions that can no longer be used: past their maximum lifetime, idle too long, or of an
     * account that is gone, locked for good or whose sessions were all ended (logout removes its own at once): none of
     * these can come back, so removing them races with nothing. How many were removed.
     */
    public int sweep(String tenant, Instant now) {
        JsonCollection<StoredSession> collection = collection(tenant);
        int removed = 0;
        for (String key : collection.ids()) {
            Optional<Versioned<StoredSession>> found = collection.find(key);
            if (found.isEmpty()) {
                continue;
            }
            StoredSession stored = found.get().value();
            boolean ended = !now.isBefore(stored.expiresAt()) || !now.isBefore(stored.lastUsedAt().plus(config.sessionIdle()));
            if (!ended) {
                Optional<UserAccount> user = users.find(tenant, stored.userId());
                ended = user.isEmpty() || !sessions.admits(new AccessToken(stored.userId(), tenant, user.get().roles(), key,
                        stored.sessionVersion(), stored.expiresAt()));
            }
            if (ended) {
                collection.delete(key);
                removed++;
            }
        }
        return removed;
    }

    private JsonCollection<StoredSession> collection(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), "web-sessions", StoredSession.class);
    }
}
