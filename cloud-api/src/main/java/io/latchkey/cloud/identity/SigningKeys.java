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
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.text.ParseException;
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
 */
@Singleton
public class SigningKeys implements TenantKeys {
    static final String SECRET_NAME = "jwt-signing-keys";

    private final SecretStore secrets;
    private final SecureRandom random;
    private final Map<String, JWKSet> cache = new ConcurrentHashMap<>();

    public SigningKeys(SecretStore secrets, SecureRandom random) {
        this.secrets = secrets;
        this.random = random;
    }

    /** Creates the scope's first key if it has none. */
    @Override
    public void createFor(String tenant) {
        ensure(tenant);
    }

    public JWKSet ensure(String scope) {
        String json = secrets.getOrCreate(scope, SECRET_NAME, this::newKeySet);
        return cache.computeIfAbsent(scope, s -> parse(json));
    }

    /** The scope's keys, or empty when it has none (unknown tenant); never creates any. */
    public Optional<JWKSet> find(String scope) {
        JWKSet cached = cache.get(scope);
        if (cached != null) {
            return Optional.of(cached);
        }
        return secrets.get(scope, SECRET_NAME).map(json -> cache.computeIfAbsent(scope, s -> parse(json)));
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
        JWKSet rotated = parse(json);
        cache.put(scope, rotated);
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
