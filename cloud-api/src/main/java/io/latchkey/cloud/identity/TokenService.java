package io.latchkey.cloud.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.latchkey.cloud.http.PublicUrl;
import io.latchkey.cloud.pki.Bc;
import io.latchkey.cloud.secrets.SecretStore;
import jakarta.inject.Singleton;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Issues and verifies access tokens: ES256 JWTs with {@code iss} = the issuer of a tenant
 * ({@code {base}/t/{tenant}}) or of the platform ({@code {base}/platform}), {@code aud} =
 * {@value #AUDIENCE}. Verification accepts exactly ES256 with a {@code kid} of that issuer; there is
 * no leeway on {@code exp} or {@code nbf}.
 */
@Singleton
public class TokenService {
    public static final String AUDIENCE = "latchkey-api";

    private final SigningKeys keys;
    private final PublicUrl publicUrl;
    private final TokenConfig config;
    private final Clock clock;

    public TokenService(SigningKeys keys, PublicUrl publicUrl, TokenConfig config, Clock clock) {
        this.keys = keys;
        this.publicUrl = publicUrl;
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

    /**
     * Verifies a token for the tenant in the request path, or for the platform when {@code tenant} is null.
     *
     * @throws InvalidTokenException for any reason to distrust it
     */
    public AccessToken verify(String tenant, String token) {
        String scope = tenant == null ? SecretStore.PLATFORM : tenant;
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw new InvalidTokenException("not a signed JWT");
        }
        JWSHeader header = jwt.getHeader();
        JWKSet keySet = keys.find(scope, header.getKeyID()).orElseThrow(() -> new InvalidTokenException("unknown issuer"));
        if (!JWSAlgorithm.ES256.equals(header.getAlgorithm())) {
            throw new InvalidTokenException("algorithm " + header.getAlgorithm() + " not accepted");
        }
        JWK jwk = header.getKeyID() == null ? null : keySet.getKeyByKeyId(header.getKeyID());
        if (!(jwk instanceof ECKey ecKey)) {
            throw new InvalidTokenException("unknown key id");
        }
        if (jwk.getExpirationTime() != null && !clock.instant().isBefore(jwk.getExpirationTime().toInstant())) {
            throw new InvalidTokenException("retired key");
        }
        try {
            ECDSAVerifier verifier = new ECDSAVerifier(ecKey.toECPublicKey());
            verifier.getJCAContext().setProvider(Bc.PROVIDER);
            if (!jwt.verify(verifier)) {
                throw new InvalidTokenException("bad signature");
            }
            return checkClaims(tenant, jwt.getJWTClaimsSet());
        } catch (JOSEException | ParseException e) {
            throw new InvalidTokenException("token does not verify");
        }
    }

    private AccessToken checkClaims(String tenant, JWTClaimsSet claims) throws ParseException {
        Instant now = clock.instant();
        if (!issuerOf(tenant).equals(claims.getIssuer())) {
            throw new InvalidTokenException("wrong issuer");
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(AUDIENCE)) {
            throw new InvalidTokenException("wrong audience");
        }
        if (claims.getExpirationTime() == null || !now.isBefore(claims.getExpirationTime().toInstant())) {
            throw new InvalidTokenException("expired");
        }
        if (claims.getNotBeforeTime() != null && now.isBefore(claims.getNotBeforeTime().toInstant())) {
            throw new InvalidTokenException("not yet valid");
        }
        String claimedTenant = claims.getStringClaim("tenant");
        if (tenant == null ? claimedTenant != null : !tenant.equals(claimedTenant)) {
            throw new InvalidTokenException("wrong tenant");
        }
        List<String> roles = claims.getStringListClaim("roles");
        if (claims.getSubject() == null || roles == null) {
            throw new InvalidTokenException("sub and roles are required");
        }
        return new AccessToken(claims.getSubject(), claimedTenant, List.copyOf(roles), claims.getJWTID(),
                claims.getIntegerClaim("sv"), claims.getExpirationTime().toInstant());
    }

    private String issuerOf(String tenant) {
        return tenant == null ? publicUrl.platformIssuer() : publicUrl.tenantIssuer(tenant);
    }
}
