package io.latchkey.cloud.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.MapClaims;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The claims the application relies on, read strictly; the authentication keeps only what it should. */
class AccessTokenAuthenticationTest {
    private static final Date EXP = Date.from(Instant.parse("2026-12-06T03:00:00Z"));

    private static Map<String, Object> valid() {
        Map<String, Object> claims = new HashMap<>();
        claims.put("sub", "u-1");
        claims.put("roles", List.of("borrower", "platform-admin"));
        claims.put("tenant", "acme");
        claims.put("jti", "j-1");
        claims.put("sv", 3L);
        claims.put("exp", EXP);
        return claims;
    }

    @Test
    void aValidTenantToken_becomesAnAccessToken() {
        AccessToken token = AccessTokenAuthentication.accessToken(new MapClaims(valid())).orElseThrow();
        assertThat(token).isEqualTo(new AccessToken("u-1", "acme", List.of("borrower", "platform-admin"), "j-1", 3,
                EXP.toInstant()));
    }

    @Test
    void missingOrMistypedClaims_areRefused() {
        List<Map.Entry<String, Object>> bad = List.of(
                Map.entry("sub", 42), Map.entry("roles", "borrower"), Map.entry("roles", List.of("borrower", 7)),
                Map.entry("tenant", List.of("acme")), Map.entry("jti", 1), Map.entry("sv", "3"), Map.entry("sv", 3.5),
                Map.entry("sv", 1L << 40), Map.entry("exp", "tomorrow"));
        for (Map.Entry<String, Object> change : bad) {
            Map<String, Object> claims = valid();
            claims.put(change.getKey(), change.getValue());
            assertThat(AccessTokenAuthentication.accessToken(new MapClaims(claims))).as("%s", change).isEmpty();
        }
        for (String required : List.of("sub", "roles", "exp")) {
            Map<String, Object> claims = valid();
            claims.remove(required);
            assertThat(AccessTokenAuthentication.accessToken(new MapClaims(claims))).as("without %s", required).isEmpty();
        }
    }

    @Test
    void aTenantTokensAuthentication_keepsTenantRolesOnly_andCarriesTenantAndExpiry() {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("u-1").claim("roles", List.of("borrower", "platform-admin"))
                .claim("tenant", "acme").claim("sv", 3).claim("email", "bea@acme.test").expirationTime(EXP);
        Authentication authentication = new AccessTokenAuthentication()
                .createAuthentication(new SignedJWT(new JWSHeader(JWSAlgorithm.ES256), claims.build())).orElseThrow();
        assertThat(authentication.getName()).isEqualTo("u-1");
        assertThat(authentication.getRoles()).containsExactly("borrower");
        assertThat(authentication.getAttributes()).containsOnlyKeys(AccessTokenAuthentication.TENANT_ATTRIBUTE,
                AccessTokenAuthentication.EXPIRES_ATTRIBUTE);
        assertThat(authentication.getAttributes().get(AccessTokenAuthentication.EXPIRES_ATTRIBUTE)).isEqualTo(EXP.toInstant());

        Authentication platform = new AccessTokenAuthentication().createAuthentication(new SignedJWT(new JWSHeader(JWSAlgorithm.ES256),
                new JWTClaimsSet.Builder().subject("admin").claim("roles", List.of("platform-admin")).expirationTime(EXP).build()))
                .orElseThrow();
        assertThat(platform.getRoles()).containsExactly("platform-admin");
        assertThat(platform.getAttributes()).doesNotContainKey(AccessTokenAuthentication.TENANT_ATTRIBUTE);
    }
}
