package io.latchkey.protocol.key;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.latchkey.protocol.Ed25519;
import io.latchkey.protocol.key.CarTime.Confidence;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.Test;

/**
 * The test vectors of docs/offline-keys.md §11, from fixed keys (Ed25519 and RFC 6979 ECDSA are deterministic, so
 * the same inputs give the same bytes): the committed file must be what this implementation makes, and what it makes
 * must verify. {@code -Dvectors.write=true} rewrites the file after a deliberate change of format.
 */
class OfflineKeyVectorsTest {
    static final Path FILE = Path.of("src/test/resources/offline-keys/vectors.json");
    static final byte[] TENANT_SEED = HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    static final BigInteger HOLDER_D = new BigInteger("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721", 16);

    @Test
    void theCommittedVectors_areWhatThisImplementationMakes_andTheyVerify() throws Exception {
        Ed25519PrivateKeyParameters tenant = new Ed25519PrivateKeyParameters(TENANT_SEED, 0);
        ECPrivateKeyParameters holder = HolderKeys.privateKey(HOLDER_D);
        KeyCredential credential = new KeyCredential(1, KeyCredential.TYPE, "key-0123456789abcdef", "acme", "dev-car-1", "car-1",
                "bk-2026-12-05-0001", new KeyCredential.Holder("u-rita", HolderKeys.encode(HolderKeys.publicOf(holder))),
                Set.of(KeyRight.LOCK, KeyRight.UNLOCK), Instant.parse("2026-12-05T10:00:00Z"), Instant.parse("2026-12-05T12:00:00Z"),
                Instant.parse("2026-12-05T09:41:07Z"), null,
                "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEx6H0cThIaqRymXFJSHjTOxok45Vx90im4WxZVbPYd9OmqqDpVRZkdK9dMsQQ9DmiI0E3rRuwhf1OiBPJWPEdlw");
        TenantSigned envelope = TenantSigned.sign(TenantSigned.Kind.CREDENTIAL, credential, "cmd-1", tenant);
        String nonce = "AAECAwQFBgcICQoLDA0ODw";
        String epoch = "8PHy8_T19vf4-fr7_P3-_w";
        byte[] bleInput = SigningInputs.bleRequest("acme", "dev-car-1", credential.keyId(), KeyRight.UNLOCK, nonce, 42, epoch);
        String bleSignature = Ed25519.base64url(HolderKeys.sign(holder, bleInput));
        Instant shown = Instant.parse("2026-12-05T10:02:11Z");
        byte[] qrInput = SigningInputs.qrPresentation("acme", "dev-car-1", credential.keyId(), KeyRight.UNLOCK, 17, shown);
        String qrSignature = Ed25519.base64url(HolderKeys.sign(holder, qrInput));

        Map<String, Object> vectors = new LinkedHashMap<>();
        vectors.put("tenantKey", ordered("signerKeyId", "cmd-1", "ed25519Seed", HexFormat.of().formatHex(TENANT_SEED),
                "publicKey", Ed25519.base64url(tenant.generatePublicKey().getEncoded())));
        vectors.put("holderKey", ordered("d", HOLDER_D.toString(16), "publicKey", credential.holder().publicKey()));
        vectors.put("credentialJson", new String(Ed25519.fromBase64url(envelope.document()), StandardCharsets.UTF_8));
        vectors.put("credentialSigningInput", "the ASCII bytes of latchkey/key-credential/v1, one 0x00 byte, then the UTF-8 bytes of credentialJson");
        vectors.put("envelope", envelope);
        vectors.put("bleRequest", ordered("action", "UNLOCK", "nonce", nonce, "counter", 42, "epoch", epoch,
                "signingInput", new String(bleInput, StandardCharsets.UTF_8), "signature", bleSignature));
        vectors.put("qrPresentation", ordered("action", "UNLOCK", "counter", 17, "time", shown.toString(),
                "signingInput", new String(qrInput, StandardCharsets.UTF_8), "signature", qrSignature));

        ObjectMapper json = io.latchkey.protocol.Json.mapper().enable(SerializationFeature.INDENT_OUTPUT);
        String made = json.writeValueAsString(vectors) + "\n";
        if (Boolean.getBoolean("vectors.write")) {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, made);
        }
        assertThat(Files.readString(FILE)).as("the committed vectors (rewrite with -Dvectors.write=true)").isEqualTo(made);

        // and they verify through the car's own checks, with the tenant key as the car pins it
        PublicKey pinned = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
                concat(HexFormat.of().parseHex("302a300506032b6570032100"), tenant.generatePublicKey().getEncoded())));
        OfflineKeyVerifier car = new OfflineKeyVerifier(Map.of("cmd-1", pinned), "acme", "dev-car-1");
        KeyCredential verified = car.credential(envelope, new CarTime(shown, Confidence.TRUSTED), null);
        car.bleRequest(verified, KeyRight.UNLOCK, nonce, 42, epoch, bleSignature);
        car.qrPresentation(verified, KeyRight.UNLOCK, 17, shown, qrSignature, new CarTime(shown.plusSeconds(3), Confidence.TRUSTED), 16);
        assertThat(Base64.getUrlDecoder().decode(credential.holder().publicKey())).hasSize(65);
    }

    private static Map<String, Object> ordered(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

}
