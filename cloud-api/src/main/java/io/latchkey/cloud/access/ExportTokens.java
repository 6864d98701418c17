package io.latchkey.cloud.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.cloud.secrets.SecretStore;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed export tokens: {@code base64url(payload).base64url(HMAC-SHA256(payload))}, payload
 * {@code {"t":tenant,"exp":epochSeconds,"n":nonce}}, keyed with a random 256-bit key kept in the tenant's own
 * secret scope ({@value #SECRET_NAME}). A token names its tenant and expiry; nothing else can be changed
 * without the key, and no token of one tenant verifies for another.
 */
@Singleton
public class ExportTokens {
    static final String SECRET_NAME = "export-link-key";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final SecretStore secrets;
    private final SecureRandom random;
    private final Clock clock;

    public ExportTokens(SecretStore secrets, SecureRandom random, Clock clock) {
        this.secrets = secrets;
        this.random = random;
        this.clock = clock;
    }

    public String mint(String tenant, Instant expiresAt) {
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        String payload = MAPPER.createObjectNode().put("t", tenant).put("exp", expiresAt.getEpochSecond())
                .put("n", B64.encodeToString(nonce)).toString();
        String encoded = B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        String key = secrets.getOrCreate(tenant, SECRET_NAME, this::newKey);
        return encoded + "." + B64.encodeToString(mac(key, encoded));
    }

    /**
     * @return when the token expires
     * @throws InvalidExportTokenException if it is malformed, not signed with this tenant's key, or expired
     */
    public Instant verify(String tenant, String token) {
        int dot = token == null ? -1 : token.indexOf('.');
        if (dot <= 0 || token.length() > 512) {
            throw new InvalidExportTokenException("malformed");
        }
        String encoded = token.substring(0, dot);
        byte[] signature;
        try {
            signature = B64_DECODER.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw new InvalidExportTokenException("malformed signature");
        }
        String key = secrets.get(tenant, SECRET_NAME)
                .orElseThrow(() -> new InvalidExportTokenException("no export link was ever issued for this tenant"));
        if (!MessageDigest.isEqual(signature, mac(key, encoded))) {
            throw new InvalidExportTokenException("bad signature");
        }
        JsonNode payload;
        try {
            payload = MAPPER.readTree(B64_DECODER.decode(encoded));
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidExportTokenException("malformed payload");
        }
        if (!tenant.equals(payload.path("t").asText()) || !payload.path("exp").canConvertToLong()) {
            throw new InvalidExportTokenException("not for this tenant");
        }
        Instant expiresAt = Instant.ofEpochSecond(payload.path("exp").asLong());
        if (!clock.instant().isBefore(expiresAt)) {
            throw new InvalidExportTokenException("expired");
        }
        return expiresAt;
    }

    private static byte[] mac(String key, String encodedPayload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(key), "HmacSHA256"));
            return mac.doFinal(encodedPayload.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private String newKey() {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
