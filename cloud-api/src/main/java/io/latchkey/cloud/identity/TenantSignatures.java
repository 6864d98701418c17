package io.latchkey.cloud.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.SignedJWT;
import io.latchkey.cloud.pki.Bc;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;
import jakarta.inject.Singleton;
import java.text.ParseException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * micronaut-security-jwt's signature configuration for our access tokens: the key is the one the token's issuer
 * ({@code iss}: a tenant or the platform) keeps under the token's {@code kid} in its own secret store
 * ({@link SigningKeys}), never one the token brings along ({@code jwk}, {@code jku}, {@code x5u}, {@code x5c} are
 * ignored). Exactly ES256; a retired key (its JWK {@code exp} passed) verifies nothing; the signature is checked by
 * Nimbus with Bouncy Castle as the JCA provider (the JDK's ECDSA costs five times as much here). Which issuer a path
 * accepts is {@link PathIssuerClaimsValidator}'s question: this only proves that the named issuer signed it.
 *
 * <p>The library asks every signature configuration in turn, also those that do not {@link #supports} the
 * algorithm, so {@link #verify} refuses any other algorithm itself ({@code none} in every spelling, HMAC keyed with
 * the public key, RSA).
 */
@Singleton
public class TenantSignatures implements SignatureConfiguration {
    private final SigningKeys keys;
    private final TokenIssuers issuers;
    private final Clock clock;
    /** Verifiers by key (kid + scope), rebuilt when the stored key object changes. */
    private final Map<String, CachedVerifier> verifiers = new ConcurrentHashMap<>();

    private record CachedVerifier(ECKey key, ECDSAVerifier verifier) {
    }

    public TenantSignatures(SigningKeys keys, TokenIssuers issuers, Clock clock) {
        this.keys = keys;
        this.issuers = issuers;
        this.clock = clock;
    }

    @Override
    public String supportedAlgorithmsMessage() {
        return "Only the ES256 JWS algorithm is supported";
    }

    @Override
    public boolean supports(JWSAlgorithm algorithm) {
        return JWSAlgorithm.ES256.equals(algorithm);
    }

    @Override
    public boolean verify(SignedJWT jwt) throws JOSEException {
        JWSHeader header = jwt.getHeader();
        if (!supports(header.getAlgorithm()) || header.getKeyID() == null) {
            return false;
        }
        Optional<String> scope;
        try {
            scope = issuers.scopeOf(jwt.getJWTClaimsSet().getIssuer());
        } catch (ParseException e) {
            return false;
        }
        if (scope.isEmpty()) {
            return false;
        }
        JWK jwk = keys.find(scope.get(), header.getKeyID()).map(set -> set.getKeyByKeyId(header.getKeyID())).orElse(null);
        if (!(jwk instanceof ECKey ecKey)) {
            return false;
        }
        if (jwk.getExpirationTime() != null && !clock.instant().isBefore(jwk.getExpirationTime().toInstant())) {
            return false;
        }
        return verifierFor(scope.get(), ecKey).verify(header, jwt.getSigningInput(), jwt.getSignature());
    }

    private ECDSAVerifier verifierFor(String scope, ECKey key) throws JOSEException {
        String id = scope + "\n" + key.getKeyID();
        CachedVerifier cached = verifiers.get(id);
        if (cached == null || cached.key() != key) {
            ECDSAVerifier verifier = new ECDSAVerifier(key.toECPublicKey());
            verifier.getJCAContext().setProvider(Bc.PROVIDER);
            cached = new CachedVerifier(key, verifier);
            verifiers.put(id, cached);
        }
        return cached.verifier();
    }
}
