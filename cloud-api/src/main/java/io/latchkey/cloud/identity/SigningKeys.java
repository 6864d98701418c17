package io.latchkey.cloud.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.latchkey.cloud.secrets.SecretStore;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ES256 token-signing keys of each issuer (a tenant, or the platform), kept in its secret store
 * as a private JWK set. The first key signs; all keys verify, so a new key can be added ahead of a
 * rotation without logging anybody out.
 */
@Singleton
public class SigningKeys {
    static final String SECRET_NAME = "jwt-signing-keys";

    private final SecretStore secrets;
    private final SecureRandom random;
    private final Map<String, JWKSet> cache = new ConcurrentHashMap<>();

    public SigningKeys(SecretStore secrets, SecureRandom random) {
        this.secrets = secrets;
        this.random = random;
    }

    /** Creates the scope's first key if it has none. */
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

    private String newKeySet() {
        try {
            ECKey key = new ECKeyGenerator(Curve.P_256)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256)
                    .keyID("es256-" + HexFormat.of().toHexDigits(random.nextInt()))
                    .secureRandom(random)
                    .generate();
            return new JWKSet(key).toString(false);
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
