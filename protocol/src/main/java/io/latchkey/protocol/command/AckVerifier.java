package io.latchkey.protocol.command;

import io.latchkey.protocol.Ids;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.MalformedMessageException;
import io.latchkey.protocol.command.AckRejectedException.Reason;
import io.latchkey.protocol.device.DeviceSignatures;
import java.util.Base64;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/**
 * Checks an acknowledgement on the receiving side: a {@link SignedAck} whose signature is the device key's
 * over the exact payload bytes, and whose payload names the expected tenant and device and has a valid
 * command id and an outcome. Which command it answers is the caller's to match. Stateless.
 */
public final class AckVerifier {
    private AckVerifier() {
    }

    /**
     * @param key the public key of the device's active certificate
     * @throws AckRejectedException when anything does not hold
     */
    public static CommandAck verify(byte[] message, String tenant, String deviceId, ECPublicKeyParameters key) {
        SignedAck signed;
        try {
            signed = Json.read(message, SignedAck.class);
        } catch (MalformedMessageException e) {
            throw new AckRejectedException(Reason.MALFORMED, e.getMessage());
        }
        if (signed.payload() == null || signed.signature() == null) {
            throw new AckRejectedException(Reason.MALFORMED, "payload and signature are required");
        }
        byte[] payload;
        byte[] signature;
        try {
            Base64.Decoder b64 = Base64.getUrlDecoder();
            payload = b64.decode(signed.payload());
            signature = b64.decode(signed.signature());
        } catch (IllegalArgumentException e) {
            throw new AckRejectedException(Reason.MALFORMED, "payload or signature is not base64url");
        }
        if (!DeviceSignatures.verify(key, payload, signature)) {
            throw new AckRejectedException(Reason.BAD_SIGNATURE, "signature does not match payload");
        }
        CommandAck ack;
        try {
            ack = Json.read(payload, CommandAck.class);
        } catch (MalformedMessageException e) {
            throw new AckRejectedException(Reason.MALFORMED, e.getMessage());
        }
        if (!tenant.equals(ack.tenant())) {
            throw new AckRejectedException(Reason.WRONG_TENANT, "ack names tenant " + ack.tenant());
        }
        if (!deviceId.equals(ack.deviceId())) {
            throw new AckRejectedException(Reason.WRONG_DEVICE, "ack names device " + ack.deviceId());
        }
        if (ack.commandId() == null || !Ids.isValid(ack.commandId())) {
            throw new AckRejectedException(Reason.WRONG_COMMAND, "ack without a valid command id");
        }
        if (ack.outcome() == null) {
            throw new AckRejectedException(Reason.MALFORMED, "ack without an outcome");
        }
        return ack;
    }
}
