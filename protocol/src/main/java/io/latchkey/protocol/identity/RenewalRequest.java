package io.latchkey.protocol.identity;

import io.latchkey.protocol.Json;
import io.latchkey.protocol.MalformedMessageException;
import io.latchkey.protocol.device.DeviceSignatures;
import io.latchkey.protocol.device.DeviceSigner;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Base64;

/**
 * Car to cloud on {@code lk/{tenant}/{deviceId}/csr} (docs/device-identity.md, "Renewal").
 * <ul>
 * <li>{@code RENEW}: a PKCS#10 request (PEM, signed by the key it carries: the new key, or the current one when the
 * policy allows same-key renewal), {@code serial} the certificate the device holds now, and {@code signature} by the
 * key of that certificate: proof that the holder of the current identity asks.</li>
 * <li>{@code IN_USE}: the device now connects with the certificate {@code serial} it was issued for
 * {@code requestId}, {@code signature} by that certificate's key; the backend then revokes the old one.</li>
 * </ul>
 * The signature is ECDSA P-256 / SHA-256 (DER, base64url) over
 * {@code "latchkey/renewal/v1" 0x00 type 0x00 requestId 0x00 serial 0x00 csr}.
 */
public record RenewalRequest(Type type, String requestId, String serial, String csr, String signature) {
    public enum Type { RENEW, IN_USE }

    private static final byte[] CONTEXT = "latchkey/renewal/v1".getBytes(StandardCharsets.US_ASCII);

    public static RenewalRequest signed(Type type, String requestId, String serial, String csr, DeviceSigner signer) {
        RenewalRequest unsigned = new RenewalRequest(type, requestId, serial, csr == null ? "" : csr, null);
        return new RenewalRequest(type, requestId, serial, unsigned.csr(),
                Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign(unsigned.signingInput())));
    }

    public static RenewalRequest parse(byte[] json) {
        RenewalRequest r = Json.read(json, RenewalRequest.class);
        if (r == null || r.type() == null || r.requestId() == null || r.requestId().isBlank() || r.requestId().length() > 64
                || r.serial() == null || !r.serial().matches("[0-9a-f]{1,64}") || r.signature() == null) {
            throw new MalformedMessageException("a renewal request has type, requestId (at most 64), serial (lower-case hex) and signature");
        }
        if (r.type() == Type.RENEW && (r.csr() == null || r.csr().isBlank())) {
            throw new MalformedMessageException("a RENEW request carries a csr");
        }
        return r;
    }

    /** Whether {@code key} (the named certificate's) signed this request. */
    public boolean signedBy(PublicKey key) {
        try {
            return DeviceSignatures.verify(io.latchkey.protocol.device.DeviceKeys.verification(key), signingInput(),
                    Base64.getUrlDecoder().decode(signature));
        } catch (RuntimeException e) {
            return false;
        }
    }

    public byte[] toJson() {
        return Json.write(this);
    }

    private byte[] signingInput() {
        String text = type + "\0" + requestId + "\0" + serial + "\0" + (csr == null ? "" : csr);
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        byte[] input = new byte[CONTEXT.length + 1 + body.length];
        System.arraycopy(CONTEXT, 0, input, 0, CONTEXT.length);
        System.arraycopy(body, 0, input, CONTEXT.length + 1, body.length);
        return input;
    }
}
