package io.latchkey.protocol.device;

import io.latchkey.protocol.Json;
import io.latchkey.protocol.MalformedMessageException;
import io.latchkey.protocol.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/**
 * What a device proves its identity with on the broker's plain listener, where there is no client
 * certificate: the MQTT CONNECT password {@code base64url(JSON).base64url(signature)}, the JSON naming
 * tenant, device, the moment and a random nonce, signed by the device key ({@link DeviceSigner}). The
 * broker checks the signature against the device's active certificate, the names against the client id,
 * the time against its validity window and the nonce against those it has seen.
 *
 * @param nonce at least 16 random bytes, base64url; makes each token single-use
 */
public record ConnectToken(String tenant, String deviceId, Instant issuedAt, String nonce) {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    public ConnectToken {
        Topic.requireTenantId(tenant);
        Topic.requireDeviceId(deviceId);
        Objects.requireNonNull(issuedAt, "issuedAt");
        if (nonce == null || nonce.length() < 22 || nonce.length() > 64) {
            throw new MalformedMessageException("a connect token's nonce must be 22..64 base64url characters");
        }
    }

    /** A fresh token, signed. */
    public static String issue(String tenant, String deviceId, Instant now, byte[] nonce, DeviceSigner signer) {
        byte[] payload = Json.write(new ConnectToken(tenant, deviceId, now, B64.encodeToString(nonce)));
        return B64.encodeToString(payload) + "." + B64.encodeToString(signer.sign(payload));
    }

    /**
     * The token in {@code password}, if its signature is {@code key}'s. Time, names and nonce are the caller's to check.
     *
     * @throws MalformedMessageException not a token, or the signature does not verify
     */
    public static ConnectToken verify(String password, ECPublicKeyParameters key) {
        int dot = password == null ? -1 : password.indexOf('.');
        if (dot < 1 || password.length() > 1024) {
            throw new MalformedMessageException("not a connect token");
        }
        byte[] payload;
        byte[] signature;
        try {
            Base64.Decoder b64 = Base64.getUrlDecoder();
            payload = b64.decode(password.substring(0, dot));
            signature = b64.decode(password.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("a connect token is two base64url parts");
        }
        if (!DeviceSignatures.verify(key, payload, signature)) {
            throw new MalformedMessageException("connect token signature does not verify");
        }
        try {
            return Json.read(payload, ConnectToken.class);
        } catch (RuntimeException e) {
            throw new MalformedMessageException("connect token payload: " + e.getMessage());
        }
    }

    /** The password as UTF-8 bytes, for an MQTT CONNECT. */
    public static byte[] bytes(String token) {
        return token.getBytes(StandardCharsets.UTF_8);
    }
}
