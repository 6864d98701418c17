package io.latchkey.cloud.web;

import io.latchkey.cloud.identity.OpaqueTokens;
import io.latchkey.cloud.identity.Pkce;
import io.latchkey.cloud.store.JsonCollection;
import io.latchkey.cloud.store.Stores;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Sign-ins the backend-for-frontend has started, as the OAuth client of the tenant's issuer: the {@code state} and
 * the PKCE {@code code_verifier} stay here ({@code web-sign-ins/{digest of the cookie}}), the browser holds only a
 * random cookie naming them. Each is used once, within {@link #LIFETIME}.
 */
@Singleton
public class WebSignIns {
    static final Duration LIFETIME = Duration.ofMinutes(10);

    record StoredSignIn(String clientId, String state, String verifier, Instant expiresAt) {
    }

    /** A started sign-in: the cookie value for the browser, and what the authorization request carries. */
    public record Started(String cookieValue, String state, String codeChallenge) {
    }

    /** A sign-in the callback may finish. */
    public record Pending(String clientId, String verifier) {
    }

    private final Stores stores;
    private final SecureRandom random;
    private final Clock clock;

    public WebSignIns(Stores stores, SecureRandom random, Clock clock) {
        this.stores = stores;
        this.random = random;
        this.clock = clock;
    }

    public Started start(String tenant, String clientId) {
        String cookie = OpaqueTokens.newToken(random);
        String state = OpaqueTokens.newToken(random);
        String verifier = OpaqueTokens.newToken(random);
        collection(tenant).create(OpaqueTokens.digest(cookie),
                new StoredSignIn(clientId, state, verifier, clock.instant().plus(LIFETIME)));
        return new Started(cookie, state, Pkce.challengeOf(verifier));
    }

    /** Takes the sign-in the cookie names (it cannot be taken twice) if it is unexpired and {@code state} is its own. */
    public Optional<Pending> take(String tenant, String cookieValue, String state) {
        JsonCollection<StoredSignIn> collection = collection(tenant);
        String key = OpaqueTokens.digest(cookieValue);
        Optional<StoredSignIn> stored = collection.get(key);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        collection.delete(key);
        StoredSignIn signIn = stored.get();
        if (!clock.instant().isBefore(signIn.expiresAt()) || state == null
                || !MessageDigest.isEqual(signIn.state().getBytes(StandardCharsets.UTF_8), state.getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        return Optional.of(new Pending(signIn.clientId(), signIn.verifier()));
    }

    /** Removes the tenant's sign-ins that expired unfinished (a finished one is gone already); how many. */
    public int sweep(String tenant, Instant now) {
        JsonCollection<StoredSignIn> collection = collection(tenant);
        int removed = 0;
        for (String key : collection.ids()) {
            Optional<StoredSignIn> signIn = collection.get(key);
            if (signIn.isPresent() && !now.isBefore(signIn.get().expiresAt())) {
                collection.delete(key);
                removed++;
            }
        }
        return removed;
    }

    private JsonCollection<StoredSignIn> collection(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), "web-sign-ins", StoredSignIn.class);
    }
}
