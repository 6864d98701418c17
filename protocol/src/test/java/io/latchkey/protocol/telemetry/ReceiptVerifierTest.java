package io.latchkey.protocol.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.protocol.Json;
import io.latchkey.protocol.Keys;
import io.latchkey.protocol.telemetry.ReceiptRejectedException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReceiptVerifierTest {
    private final KeyPair tenantKey = Keys.newCommandKeyPair();
    private final ReceiptSigner signer = new ReceiptSigner(tenantKey.getPrivate(), "cmd-1");
    private final ReceiptVerifier verifier = new ReceiptVerifier(Map.of("cmd-1", tenantKey.getPublic()), "acme", "dev-1");
    private final TelemetryReceipt receipt = new TelemetryReceipt("acme", "dev-1", 41, 90, List.of(57L));

    private static byte[] wire(SignedReceipt s) {
        return Json.write(s);
    }

    private Reason reasonFor(byte[] message) {
        try {
            verifier.verify(message);
        } catch (ReceiptRejectedException e) {
            return e.reason();
        }
        throw new AssertionError("accepted");
    }

    @Test
    void aReceiptSignedByThePinnedKey_forThisDevice_verifies() {
        assertThat(verifier.verify(wire(signer.sign(receipt)))).isEqualTo(receipt);
    }

    @Test
    void theSignatureCoversTheExactPayloadBytes() {
        SignedReceipt signed = signer.sign(receipt);
        String wider = new String(Base64.getUrlDecoder().decode(signed.payload()), StandardCharsets.UTF_8)
                .replace("\"lastSeq\":90", "\"lastSeq\":9000");
        SignedReceipt tampered = new SignedReceipt(Base64.getUrlEncoder().withoutPadding()
                .encodeToString(wider.getBytes(StandardCharsets.UTF_8)), signed.signature(), signed.keyId());

        assertThat(reasonFor(wire(tampered))).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void aReceiptSignedByAnotherKey_underThePinnedId_isRefused() {
        ReceiptSigner forger = new ReceiptSigner(Keys.newCommandKeyPair().getPrivate(), "cmd-1");
        assertThat(reasonFor(wire(forger.sign(receipt)))).isEqualTo(Reason.BAD_SIGNATURE);
    }

    @Test
    void anUnknownKeyId_isRefused() {
        ReceiptSigner other = new ReceiptSigner(tenantKey.getPrivate(), "cmd-9");
        assertThat(reasonFor(wire(other.sign(receipt)))).isEqualTo(Reason.UNKNOWN_KEY);
    }

    @Test
    void aReceiptForAnotherDeviceOrTenant_isRefused_evenWhenSignedByTheTenant() {
        assertThat(reasonFor(wire(signer.sign(new TelemetryReceipt("acme", "dev-2", 41, 90)))))
                .isEqualTo(Reason.WRONG_DEVICE);
        assertThat(reasonFor(wire(signer.sign(new TelemetryReceipt("globex", "dev-1", 41, 90)))))
                .isEqualTo(Reason.WRONG_TENANT);
    }

    @Test
    void anUnsignedReceipt_orGarbage_isMalformed() {
        assertThat(reasonFor(Json.write(receipt))).isEqualTo(Reason.MALFORMED);
        assertThat(reasonFor("not json".getBytes(StandardCharsets.UTF_8))).isEqualTo(Reason.MALFORMED);
        assertThat(reasonFor("{\"payload\":\"%%\",\"signature\":\"%%\",\"keyId\":\"cmd-1\"}"
                .getBytes(StandardCharsets.UTF_8))).isEqualTo(Reason.MALFORMED);
    }
}
