package io.latchkey.cloud.identity;

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
 * One-time authorization codes (RFC 6749 §4.1, with PKCE): 256 random bits, stored only as their SHA-256 in the
 * tenant's store, valid for {@link #LIFETIME}, bound to the client, the exact redirect URI and the S256 challenge
 * of the request that issued them. A code is spent by its first valid redemption; presenting a spent code again
 * ends every session of the account (RFC 9700 §4.5.3: one of the two presenters is an attacker), which refuses the
 * tokens or the browser session the first redemption issued.
 */
@Singleton
public class AuthorizationCodes {
    public static final Duration LIFETIME = Duration.ofSeconds(60);
    public static final String REUSED = "AUTHORIZATION_CODE_REUSED";
    /**
     * How long a code is kept after it expired, spent or not: a second presentation of a spent code until then is
     * still recognised as a reuse (and ends the account's sessions); later it is an unknown code, refused all the same.
     */
    public static final Duration KEPT_AFTER_EXPIRY = Duration.ofMinutes(10);

    record StoredCode(String clientId, String redirectUri, String challenge, String userId, Instant issuedAt,
                      Instant expiresAt, Instant redeemedAt) {
        StoredCode redeemed(Instant at) {
            return new StoredCode(clientId, redirectUri, challenge, userId, issuedAt, expiresAt, at);
        }
    }

    private final Stores stores;
    private final SessionPolicy sessions;
    private final SecureRandom random;
    private final Clock clock;

    public AuthorizationCodes(Stores stores, SessionPolicy sessions, SecureRandom random, Clock clock) {
        this.stores = stores;
        this.sessions = sessions;
        this.random = random;
        this.clock = clock;
    }

    /** A new code for a signed-in user; the caller has checked client, redirect URI and challenge. */
    public String issue(String tenant, OAuthClient client, String redirectUri, String challenge, String userId) {
        String code = OpaqueTokens.newToken(random);
        Instant now = clock.instant();
        codes(tenant).create(OpaqueTokens.digest(code),
                new StoredCode(client.id(), redirectUri, challenge, userId, now, now.plus(LIFETIME), null));
        return code;
    }

    /**
     * The user id the code was issued to, having spent it.
     *
     * @throws OAuthException {@code invalid_grant} for an unknown, expired or spent code, another client's code, a
     *                        redirect URI other than the one of the authorization request, or a verifier that does
     *                        not match the challenge (the code stays unspent then, so a wrong guess does not burn
     *                        the rightful client's code)
     */
    public String redeem(String tenant, String code, String clientId, String redirectUri, String verifier) {
        if (code == null || code.length() < 20 || code.length() > 100) {
            throw invalid("the code is invalid, expired or already used");
        }
        JsonCollection<StoredCode> collection = codes(tenant);
        String key = OpaqueTokens.digest(code);
        Optional<Versioned<StoredCode>> found = collection.find(key);
        if (found.isEmpty()) {
            throw invalid("the code is invalid, expired or already used");
        }
        StoredCode stored = found.get().value();
        if (!stored.clientId().equals(clientId)) {
            throw invalid("the code was issued to another client");
        }
        if (stored.redeemedAt() != null) {
            sessions.endAll(tenant, stored.userId(), REUSED);
            throw invalid("the code is invalid, expired or already used");
        }
        if (!clock.instant().isBefore(stored.expiresAt())) {
            throw invalid("the code is invalid, expired or already used");
        }
        if (!stored.redirectUri().equals(redirectUri)) {
            throw invalid("redirect_uri differs from the authorization request's");
        }
        if (!Pkce.verifies(verifier, stored.challenge())) {
            throw invalid("code_verifier does not match the code_challenge");
        }
        try {
            collection.replace(key, stored.redeemed(clock.instant()), found.get().version());
        } catch (VersionConflictException e) {
            sessions.endAll(tenant, stored.userId(), REUSED);
            throw invalid("the code is invalid, expired or already used");
        }
        return stored.userId();
    }

    /** Removes the tenant's codes that expired more than {@link #KEPT_AFTER_EXPIRY} ago; how many. */
    public int sweep(String tenant, Instant now) {
        JsonCollection<StoredCode> collection = codes(tenant);
        int removed = 0;
        for (String key : collection.ids()) {
            Optional<StoredCode> code = collection.get(key);
            if (code.isPresent() && !now.isBefore(code.get().expiresAt().plus(KEPT_AFTER_EXPIRY))) {
                collection.delete(key);
                removed++;
            }
        }
        return removed;
    }

    private static OAuthException invalid(String description) {
        return new OAuthException("invalid_grant", description);
    }

    private JsonCollection<StoredCode> codes(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), "authorization-codes", StoredCode.class);
    }
}
