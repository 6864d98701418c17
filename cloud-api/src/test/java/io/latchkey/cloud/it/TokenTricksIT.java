package io.latchkey.cloud.it;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import io.latchkey.cloud.identity.SecurityCounters;
import io.latchkey.cloud.identity.SigningKeys;
import io.latchkey.cloud.secrets.SecretStore;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forgeries RefusalsIT does not spell out, against the micronaut-security-jwt pipeline: every spelling of
 * {@code none}, HMAC keyed with the tenant's own public key, keys the token brings along ({@code jwk}, {@code jku},
 * {@code x5u}), {@code kid} tricks, the platform's key for a tenant token, and tokens of an account that was locked or
 * terminated. Each refusal is a 401 and counted; the genuine token keeps working beside them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenTricksIT {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    @TempDir
    static Path dataDir;
    CloudApp app;
    String admin;
    String borrower;

    @BeforeAll
    void start() {
        app = CloudApp.start(dataDir, Map.of());
        admin = app.tenantWithAdmin("acme");
        borrower = app.user("acme", admin, "bea@acme.test", "borrower");
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void forgedHeadersAndKeys_areAll401_andCounted() throws Exception {
        SignedJWT genuine = SignedJWT.parse(borrower);
        ECKey acme = key("acme");
        ECKey platform = key(SecretStore.PLATFORM);
        ECKey attacker = new ECKeyGenerator(Curve.P_256).keyID(acme.getKeyID()).generate();
        String header = genuine.getParsedParts()[0].decodeToString();
        String payload = genuine.getParsedParts()[1].toString();
        String signature = genuine.getParsedParts()[2].toString();

        List<String> forged = new ArrayList<>();
        for (String none : List.of("none", "None", "NONE", "nOnE", "none ")) {
            String h = b64(header.replace("\"ES256\"", "\"" + none + "\""));
            forged.add(h + "." + payload + ".");
            forged.add(h + "." + payload + "." + signature);
        }
        byte[] publicKeyDer = acme.toECPublicKey().getEncoded();
        byte[] publicJwk = acme.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
        for (byte[] secret : List.of(publicKeyDer, publicJwk)) {
            for (JWSAlgorithm hmac : List.of(JWSAlgorithm.HS256, JWSAlgorithm.HS512)) {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(hmac).keyID(acme.getKeyID()).build(), genuine.getJWTClaimsSet());
                jwt.sign(new MACSigner(java.util.Arrays.copyOf(secret, Math.max(secret.length, 64))));
                forged.add(jwt.serialize());
            }
        }
        forged.add(sign(attacker, new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(acme.getKeyID())
                .jwk(attacker.toPublicJWK()), genuine));
        forged.add(sign(attacker, new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(acme.getKeyID())
                .jwkURL(URI.create("https://evil.example/jwks.json")), genuine));
        forged.add(sign(attacker, new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(acme.getKeyID())
                .x509CertURL(URI.create("https://evil.example/cert.pem")), genuine));
        forged.add(sign(attacker, new JWSHeader.Builder(JWSAlgorithm.ES256), genuine));
        for (String kid : List.of("", "../platform/jwt-signing-keys", acme.getKeyID() + "\u0000", platform.getKeyID())) {
            forged.add(sign(attacker, new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid), genuine));
        }
        forged.add(sign(platform, new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(platform.getKeyID()), genuine));
        forged.add(sign(acme, new JWSHeader.Builder(JWSAlgorithm.ES384).keyID(acme.getKeyID()), genuine, false));
        forged.add(header + "." + payload + "." + signature);
        forged.add(b64(header) + "." + payload);
        forged.add(b64(header) + "." + payload + "." + signature + "." + signature + "." + signature);

        SecurityCounters counters = app.context().getBean(SecurityCounters.class);
        long before = counters.snapshot().get(SecurityCounters.REJECTED_TOKENS).longValue();
        List<String> accepted = new ArrayList<>();
        for (String token : forged) {
            int status = app.http.get("/t/acme/cars", token).status();
            if (status != 401) {
                accepted.add(status + " " + token);
            }
        }
        assertThat(accepted).as("forged tokens that were not refused").isEmpty();
        assertThat(counters.snapshot().get(SecurityCounters.REJECTED_TOKENS).longValue() - before).isEqualTo(forged.size());
        expect(200, app.http.get("/t/acme/cars", borrower));
        expect(200, app.http.get("/t/acme/cars", sign(acme, new JWSHeader.Builder(JWSAlgorithm.ES256)
                .keyID(acme.getKeyID()).type(JOSEObjectType.JWT), genuine)));
    }

    @Test
    void aTokenOfALockedOrTerminatedAccount_is401_atOnce() {
        String operator = app.user("acme", admin, "olga@acme.test", "operator");
        String eve = app.user("acme", admin, "eve@acme.test", "borrower");
        String eveId = id(eve);
        expect(200, app.http.get("/t/acme/users/me", eve));
        expect(204, app.http.postJson("/t/acme/users/" + eveId + "/lock", operator, Map.of()));
        assertThat(app.http.get("/t/acme/users/me", eve).status()).isEqualTo(401);
        String mia = app.user("acme", admin, "mia@acme.test", "borrower");
        expect(200, app.http.get("/t/acme/users/me", mia));
        expect(204, app.http.delete("/t/acme/users/" + id(mia), admin));
        assertThat(app.http.get("/t/acme/users/me", mia).status()).isEqualTo(401);
    }

    private static String id(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet().getSubject();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    private ECKey key(String scope) {
        return (ECKey) app.context().getBean(SigningKeys.class).ensure(scope).getKeys().get(0);
    }

    private static String sign(ECKey key, JWSHeader.Builder header, SignedJWT claimsOf) throws Exception {
        return sign(key, header, claimsOf, true);
    }

    /** With {@code es256} false the header names another algorithm over a genuine ES256 signature. */
    private static String sign(ECKey key, JWSHeader.Builder header, SignedJWT claimsOf, boolean es256) throws Exception {
        if (es256) {
            SignedJWT jwt = new SignedJWT(header.build(), claimsOf.getJWTClaimsSet());
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        }
        String h = b64(header.build().toString());
        String signingInput = h + "." + claimsOf.getParsedParts()[1];
        SignedJWT es = new SignedJWT(new JWSHeader(JWSAlgorithm.ES256), claimsOf.getJWTClaimsSet());
        es.sign(new ECDSASigner(key));
        return signingInput + "." + Base64URL.encode(es.getSignature().decode());
    }

    private static String b64(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
