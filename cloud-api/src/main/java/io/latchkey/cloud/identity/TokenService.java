package io.latchkey.cloud.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.latchkey.cloud.secrets.SecretStore;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Issues and verifies access tokens: ES256 JWTs with {@code iss} = the issuer of a tenant
 * ({@code {base}/t/{tenant}}) or of the platform ({@code {base}/platform}), {@code aud} =
 * {@value #AUDIENCE}. Issuing stays here: micronaut-security-jwt's token generator signs with one configured key,
 * not with the key of the tenant a token is for. Verification is micronaut-security-jwt's (its
 * {@code TokenAuthenticationFetcher}, with {@link TenantSignatures} as the signature configuration and the claims
 * validators of this package: {@link PathIssuerClaimsValidator}, the library's audience validator,
 * {@link TokenLifetimeClaimsValidator}, {@link SessionVersionClaimsValidator}).
 */
@Singleton
public class TokenService {
    public static final String AUDIENCE = "latchkey-api";

    private final SigningKeys keys;
    private final TokenIssuers issuers;
    private final TokenConfig config;
    private final Clock clock;

    public TokenService(SigningKeys keys, TokenIssuers issuers, TokenConfig config, Clock clock) {
        this.keys = keys;
        this.issuers = issuers;
        this.config = config;
        this.clock = clock;
    }

    /** A platform token ({@code tenant} null), or a tenant token of session version 0. */
    public String issue(String tenant, String subject, List<String> roles) {
        return issue(tenant, subject, roles, tenant == null ? null : 0);
    }

    /**
     * @param tenant         the tenant, or {@code null} for a platform token
     * @param sessionVersion the account's current session version (claim {@code sv}); see {@link SessionPolicy}
     */
    public String issue(String tenant, String subject, List<String> roles, Integer sessionVersion) {
        String scope = tenant == null ? SecretStore.PLATFORM : tenant;
        ECKey key = (ECKey) keys.ensure(scope).getKeys().get(0);
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuerOf(tenant))
                .audience(AUDIENCE)
                .subject(subject)
                .claim("roles", List.copyOf(roles))
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(config.accessTtl())))
                .jwtID(UUID.randomUUID().toString());
        if (tenant != null) {
            claims.claim("tenant", tenant);
        }
        if (sessionVersion != null) {
            claims.claim("sv", sessionVersion);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims.build());
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign an access token", e);
        }
        return jwt.serialize();
    }

    public long expiresInSeconds() {
        return config.accessTtl().toSeconds();
    }

    private String issuerOf(String tenant) {
        return issuers.issuerOf(tenant);
    }
}
