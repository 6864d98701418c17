package io.latchkey.cloud.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.latchkey.cloud.secrets.SecretStore;
import io.latchkey.cloud.tenant.TenantKeys;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ES256 token-signing keys of each issuer (a tenant, or the platform), kept in its secret store
 * as a private JWK set. The first key signs; all keys verify, so {@link #rotate} adds a new signing key
 * without logging anybody out: the old ones keep verifying until every token they signed has expired.
 *
 * <p>Each replica keeps a scope's keys in memory for {@link #FRESH_FOR} at most, then reads them again from the
 * (shared) secret store: a rotation on one replica signs there at once and is honoured (verified, published
 * in the JWKS) by every other replica within that bound.
 */
@Singleton
public class SigningKeys implements TenantKeys {
    static final String SECRET_NAME = "jwt-signing-keys";

    private final SecretStore secrets;
    private final SecureRandom random;
    /** How long a replica uses the keys it read before reading them again. */
    public static final Duration FRESH_FOR = Duration.ofSeconds(30);
    /** How soon a token with a key id unknown here may make this replica read the keys again. */
    public static final Duration REREAD_UNKNOWN_KID_AFTER = Duration.ofSeconds(1);

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    /** When a token with an unknown key id last made this replica read a scope's keys again. */
    private final Map<String, Long> rereads = new ConcurrentHashMap<>();
    private final long freshForNanos;

    private record Cached(JWKSet keys, long readAt) {
    }

    @Inject
    public SigningKeys(SecretStore secrets, SecureRandom random) {
        this(secrets, random, FRESH_FOR);
    }

    SigningKeys(SecretStore secrets, SecureRandom random, Duration freshFor) {
        this.secrets = secrets;
        this.random = random;
        this.freshForNanos = freshFor.toNanos();
    }

    /** Creates the scope's first key if it has none. */
    @Override
    public void createFor(String tenant) {
        ensure(tenant);
    }

    public JWKSet ensure(String scope) {
        JWKSet fresh = fresh(scope);
        if (fresh != null) {
            return fresh;
        }
        return remember(scope, parse(secrets.getOrCreate(scope, SECRET_NAME, this::newKeySet)));
    }

    /** The scope's keys, or empty when it has none (unknown tenant); never creates any. */
    public Optional<JWKSet> find(String scope) {
        JWKSet fresh = fresh(scope);
        if (fresh != null) {
            return Optional.of(fresh);
        }
        return secrets.get(scope, SECRET_NAME).map(json -> remember(scope, parse(json)));
    }

    /**
     * The scope's keys for verifying a token signed with {@code kid}: as {@link #find(String)}, but a key id this
     * replica does not know yet (another replica rotated a moment ago) makes it read the keys again at once, at
     * most once per {@link #REREAD_UNKNOWN_KID_AFTER} per scope, so tokens with made-up key ids cannot flood the
     * secret store.
     */
    public Optional<JWKSet> find(String scope, String kid) {
        Optional<JWKSet> keys = find(scope);
        if (kid == null || keys.isEmpty() || keys.get().getKeyByKeyId(kid) != null) {
            return keys;
        }
        long now = System.nanoTime();
        Long last = rereads.get(scope);
        if (last != null && now - last < REREAD_UNKNOWN_KID_AFTER.toNanos()) {
            return keys;
        }
        rereads.put(scope, now);
        return secrets.get(scope, SECRET_NAME).map(json -> remember(scope, parse(json)));
    }

    private JWKSet fresh(String scope) {
        Cached cached = cache.get(scope);
        return cached != null && System.nanoTime() - cached.readAt() < freshForNanos ? cached.keys() : null;
    }

    private JWKSet remember(String scope, JWKSet keys) {
        cache.put(scope, new Cached(keys, System.nanoTime()));
        return keys;
    }

    /**
     * Adds a new key in front (it signs from now on). The previous keys keep verifying until
     * {@code keepUntil} (the last moment a token they signed can still be valid), recorded as their JWK
     * {@code exp}; keys whose {@code exp} has passed are dropped.
     *
     * @return the new signing key's id
     */
    public String rotate(String scope, Instant now, Instant keepUntil) {
        ensure(scope);
        String json = secrets.update(scope, SECRET_NAME, current -> {
            List<JWK> keys = new ArrayList<>();
            keys.add(newKey());
            for (JWK old : parse(current).getKeys()) {
                Date exp = old.getExpirationTime();
                if (exp == null) {
                    keys.add(new ECKey.Builder((ECKey) old).expirationTime(Date.from(keepUntil)).build());
                } else if (now.isBefore(exp.toInstant())) {
                    keys.add(old);
                }
            }
            return new JWKSet(keys).toString(false);
        });
        JWKSet rotated = remember(scope, parse(json));
        return rotated.getKeys().get(0).getKeyID();
    }

    private String newKeySet() {
        return new JWKSet(newKey()).toString(false);
    }

    private ECKey newKey() {
        try {
            return new ECKeyGenerator(Curve.P_256)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256)
                    .keyID("es256-" + HexFormat.of().toHexDigits(random.nextInt()))
                    .secureRandom(random)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an ES256 key", e);
        }
    }

    private static JWKSet parse(String json) {
        try {
            return JWKSet.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException("stored signing keys do not parse", e);
        }
    }
}
