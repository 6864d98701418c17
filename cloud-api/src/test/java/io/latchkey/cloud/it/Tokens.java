package io.latchkey.cloud.it;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.Base64;

/** Forged variants of a genuine access token, for attack tests. */
final class Tokens {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Tokens() {
    }

    /** Same claims, header {@code alg: none}, no signature. */
    static String algNone(String genuine) throws ParseException {
        SignedJWT jwt = SignedJWT.parse(genuine);
        String header = "{\"alg\":\"none\",\"kid\":\"" + jwt.getHeader().getKeyID() + "\",\"typ\":\"JWT\"}";
        return B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "." + jwt.getParsedParts()[1] + ".";
    }

    /** Same claims and kid, signed HS256 with a key the attacker chose. */
    static String hs256(String genuine) throws ParseException, JOSEException {
        SignedJWT jwt = SignedJWT.parse(genuine);
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(jwt.getHeader().getKeyID()).build(),
                jwt.getJWTClaimsSet());
        forged.sign(new MACSigner(secret));
        return forged.serialize();
    }

    /** Claims of our choosing, signed ES256 with {@code key} under header kid {@code kid}. */
    static String signed(com.nimbusds.jose.jwk.ECKey key, String kid, com.nimbusds.jwt.JWTClaimsSet claims)
            throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).build(), claims);
        jwt.sign(new com.nimbusds.jose.crypto.ECDSASigner(key));
        return jwt.serialize();
    }

    /** A genuine token's claims, changed by {@code edit}. */
    static com.nimbusds.jwt.JWTClaimsSet claimsOf(String genuine,
            java.util.function.UnaryOperator<com.nimbusds.jwt.JWTClaimsSet.Builder> edit) throws ParseException {
        return edit.apply(new com.nimbusds.jwt.JWTClaimsSet.Builder(SignedJWT.parse(genuine).getJWTClaimsSet())).build();
    }

    /** The genuine signature over a payload whose roles were changed. */
    static String tamperedRoles(String genuine) throws ParseException {
        SignedJWT jwt = SignedJWT.parse(genuine);
        String payload = jwt.getPayload().toString().replace("\"borrower\"", "\"tenant-admin\"");
        return jwt.getParsedParts()[0] + "." + B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "."
                + jwt.getParsedParts()[2];
    }

    /** The genuine header and claims with {@code signature} (raw bytes) in place of the real one. */
    static String withSignature(String genuine, byte[] signature) throws ParseException {
        SignedJWT jwt = SignedJWT.parse(genuine);
        return jwt.getParsedParts()[0] + "." + jwt.getParsedParts()[1] + "." + B64.encodeToString(signature);
    }
}
