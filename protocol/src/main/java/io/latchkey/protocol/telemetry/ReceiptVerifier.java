package io.latchkey.protocol.telemetry;

import io.latchkey.protocol.Ed25519;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.Keys;
import io.latchkey.protocol.MalformedMessageException;
import io.latchkey.protocol.telemetry.ReceiptRejectedException.Reason;
import java.security.PublicKey;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * Checks a signed receipt on the device: a pinned command key, a valid signature over the exact payload
 * bytes, and addressed to this tenant and device. Whether its range matches what was sent is the journal's
 * business. Thread-safe.
 */
public final class ReceiptVerifier {
    private final Map<String, Ed25519PublicKeyParameters> keysById;
    private final String tenant;
    private final String deviceId;

    public ReceiptVerifier(Map<String, PublicKey> keysById, String tenant, String deviceId) {
        if (keysById == null || keysById.isEmpty()) {
            throw new IllegalArgumentException("at least one receipt-verification key is required");
        }
        this.keysById = Map.copyOf(keysById.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> Keys.ed25519(e.getValue()))));
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
    }

    /** Parses the raw bytes of a {@code receipt} message and verifies it. */
    public TelemetryReceipt verify(byte[] message) {
        SignedReceipt signed;
        try {
            signed = Json.read(message, SignedReceipt.class);
        } catch (MalformedMessageException e) {
            throw new ReceiptRejectedException(Reason.MALFORMED, e.getMessage());
        }
        if (signed.payload() == null || signed.signature() == null || signed.keyId() == null) {
            throw new ReceiptRejectedException(Reason.MALFORMED, "payload, signature and keyId are required");
        }
        Ed25519PublicKeyParameters key = keysById.get(signed.keyId());
        if (key == null) {
            throw new ReceiptRejectedException(Reason.UNKNOWN_KEY, "no pinned key with id " + signed.keyId());
        }
        byte[] payload;
        byte[] signature;
        try {
            payload = Ed25519.fromBase64url(signed.payload());
            signature = Ed25519.fromBase64url(signed.signature());
        } catch (IllegalArgumentException e) {
            throw new ReceiptRejectedException(Reason.MALFORMED, "payload or signature is not base64url");
        }
        if (!Ed25519.verify(key, payload, signature)) {
            throw new ReceiptRejectedException(Reason.BAD_SIGNATURE, "signature does not match payload");
        }
        TelemetryReceipt receipt;
        try {
            receipt = Json.read(payload, TelemetryReceipt.class);
        } catch (MalformedMessageException e) {
            throw new ReceiptRejectedException(Reason.MALFORMED, e.getMessage());
        }
        if (!tenant.equals(receipt.tenant())) {
            throw new ReceiptRejectedException(Reason.WRONG_TENANT, "receipt is for tenant " + receipt.tenant());
        }
        if (!deviceId.equals(receipt.deviceId())) {
            throw new ReceiptRejectedException(Reason.WRONG_DEVICE, "receipt is for device " + receipt.deviceId());
        }
        return receipt;
    }
}
