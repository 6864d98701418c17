package io.latchkey.cloud.identity;

import io.latchkey.cloud.store.JsonCollection;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.VersionConflictException;
import io.latchkey.cloud.store.Versioned;
import jakarta.inject.Singleton;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;

import java.util.HexFormat;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * Opaque refresh tokens: 32 random bytes, stored only as their SHA-256 in the tenant's store. Each use
 * rotates the token (the old one is marked used under optimistic concurrency, so two concurrent uses
 * cannot both succeed). Presenting a used token again revokes its whole family: whoever holds the
 * newer one must sign in again, since one of the two is a thief.
 */
@Singleton
public class RefreshTokens {
    record StoredRefreshToken(String userId, String family, Instant issuedAt, Instant expiresAt, Instant usedAt) {
    }

    record RevokedFamily(Instant revokedAt) {
    }

    private final Stores stores;
    private final TokenConfig config;
    private final SecureRandom random;
    private final Clock clock;

    public RefreshTokens(Stores stores, TokenConfig config, SecureRandom random, Clock clock) {
        this.stores = stores;
        this.config = config;
        this.random = random;
        this.clock = clock;
    }

    /** A new token starting a new family. */
    public String issue(String tenant, String userId) {
        byte[] family = new byte[16];
        random.nextBytes(family);
        return issue(tenant, userId, "f-" + HexFormat.of().formatHex(family));
    }

    /**
     * The user id the token belonged to, having consumed it; empty for an unknown, expired, used or revoked
     * token, or one that {@code stillValid(userId, issuedAt)} no longer admits (the account's sessions were
     * revoked after it was issued).
     */
    public Optional<Rotated> rotate(String tenant, String token, BiPredicate<String, Instant> stillValid) {
        if (token == null || token.isBlank() || token.length() > 100) {
            return Optional.empty();
        }
        JsonCollection<StoredRefreshToken> collection = tokens(tenant);
        String key = OpaqueTokens.digest(token);
        Optional<Versioned<StoredRefreshToken>> found = collection.find(key);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        StoredRefreshToken stored = found.get().value();
        Instant now = clock.instant();
        if (stored.usedAt() != null) {
            revoke(tenant, stored.family());
            return Optional.empty();
        }
        if (!now.isBefore(stored.expiresAt()) || families(tenant).get(stored.family()).isPresent()
                || !stillValid.test(stored.userId(), stored.issuedAt())) {
            return Optional.empty();
        }
        try {
            collection.replace(key, new StoredRefreshToken(stored.userId(), stored.family(), stored.issuedAt(),
                    stored.expiresAt(), now), found.get().version());
        } catch (VersionConflictException e) {
            return Optional.empty();
        }
        return Optional.of(new Rotated(stored.userId(), issue(tenant, stored.userId(), stored.family())));
    }

    /** The outcome of a rotation: whose token it was, and its successor. */
    public record Rotated(String userId, String refreshToken) {
    }

    private String issue(String tenant, String userId, String family) {
        String token = OpaqueTokens.newToken(random);
        Instant now = clock.instant();
        tokens(tenant).create(OpaqueTokens.digest(token), new StoredRefreshToken(userId, family, now, now.plus(config.refreshTtl()), null));
        return token;
    }

    private void revoke(String tenant, String family) {
        families(tenant).upsert(family, new RevokedFamily(clock.instant()), existing -> existing);
    }

    private JsonCollection<StoredRefreshToken> tokens(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), "refresh-tokens", StoredRefreshToken.class);
    }

    private JsonCollection<RevokedFamily> families(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), "revoked-refresh-families", RevokedFamily.class);
    }
}
