package io.latchkey.protocol.command;

import io.latchkey.protocol.Json;
import io.latchkey.protocol.Topic;
import io.latchkey.protocol.device.DeviceSigner;
import java.util.Base64;
import java.util.Objects;

/**
 * Signs a device's acknowledgements with its own key. The tenant and device id in the signed payload are
 * this signer's, whatever the answer said, so the device always signs as itself. Thread-safe.
 */
public final class AckSigner {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final String tenant;
    private final String deviceId;
    private final DeviceSigner signer;

    public AckSigner(String tenant, String deviceId, DeviceSigner signer) {
        Topic.requireTenantId(tenant);
        Topic.requireDeviceId(deviceId);
        this.tenant = tenant;
        this.deviceId = deviceId;
        this.signer = Objects.requireNonNull(signer, "signer");
    }

    public SignedAck sign(CommandAck ack) {
        byte[] payload = Json.write(ack.from(tenant, deviceId));
        return new SignedAck(B64.encodeToString(payload), B64.encodeToString(signer.sign(payload)));
    }

    /** The JSON bytes of the signed envelope, ready to publish. */
    public byte[] signToWire(CommandAck ack) {
        return Json.write(sign(ack));
    }
}
