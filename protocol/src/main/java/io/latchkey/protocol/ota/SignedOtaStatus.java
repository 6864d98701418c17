package io.latchkey.protocol.ota;

import io.latchkey.protocol.Ed25519;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.MalformedMessageException;
import io.latchkey.protocol.Topic;
import io.latchkey.protocol.device.DeviceSignatures;
import io.latchkey.protocol.device.DeviceSigner;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/**
 * What travels on {@code ota-status}: the exact JSON bytes of an {@link OtaStatus} (base64url) and the device key's
 * ECDSA P-256 signature over them (DER, base64url), as acknowledgements are signed.
 */
public record SignedOtaStatus(String payload, String signature) {
    /** Signs as the device {@code tenant}/{@code deviceId}, whatever the status said. */
    public static byte[] signToWire(OtaStatus status, String tenant, String deviceId, DeviceSigner signer) {
        Topic.requireTenantId(tenant);
        Topic.requireDeviceId(deviceId);
        byte[] payload = Json.write(status.from(tenant, deviceId));
        return Json.write(new SignedOtaStatus(Ed25519.base64url(payload), Ed25519.base64url(signer.sign(payload))));
    }

    /**
     * The status, if the device's key signed it and it names the device of the topic.
     *
     * @throws MalformedMessageException not a signed status, a bad signature, or another device's status
     */
    public static OtaStatus verify(byte[] message, ECPublicKeyParameters deviceKey, String tenant, String deviceId) {
        SignedOtaStatus signed = Json.read(message, SignedOtaStatus.class);
        byte[] payload;
        byte[] sig;
        try {
            payload = Ed25519.fromBase64url(signed.payload());
            sig = Ed25519.fromBase64url(signed.signature());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MalformedMessageException("payload and signature must be base64url");
        }
        if (!DeviceSignatures.verify(deviceKey, payload, sig)) {
            throw new MalformedMessageException("the device's signature does not verify");
        }
        OtaStatus status = Json.read(payload, OtaStatus.class);
        if (!tenant.equals(status.tenant()) || !deviceId.equals(status.deviceId()) || status.state() == null) {
            throw new MalformedMessageException("a status of another device, or without a state");
        }
        return status;
    }
}
