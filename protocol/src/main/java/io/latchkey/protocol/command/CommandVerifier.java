package io.latchkey.protocol.command;

import io.latchkey.protocol.Ed25519;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.Keys;
import io.latchkey.protocol.MalformedMessageException;
import io.latchkey.protocol.command.CommandRejectedException.Reason;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * Checks a signed command on the device: known key, valid signature over the exact payload bytes,
 * addressed to this tenant and device, and inside its validity window (allowing a bounded clock skew
 * before {@code issuedAt}, none after {@code expiresAt}). Replay is the caller's job, since it needs
 * memory that survives restarts.
 */
public final class CommandVerifier {
    private final Map<String, Ed25519PublicKeyParameters> keysById;
    private final String tenant;
    private final String deviceId;
    private final Clock clock;
    private final Duration allowedSkew;

    public CommandVerifier(Map<String, PublicKey> keysById, String tenant, String deviceId, Clock clock,
                           Duration allowedSkew) {
        if (keysById == null || keysById.isEmpty()) {
            throw new IllegalArgumentException("at least one command-verification key is required");
        }
        this.keysById = Map.copyOf(keysById.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> Keys.ed25519(e.getValue()))));
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.allowedSkew = Objects.requireNonNull(allowedSkew, "allowedSkew");
    }

    /** Parses the raw bytes of a {@code cmd} message and verifies it. */
    public Command verify(byte[] message) {
        SignedCommand signed;
        try {
            signed = Json.read(message, SignedCommand.class);
        } catch (MalformedMessageException e) {
            throw new CommandRejectedException(Reason.MALFORMED, e.getMessage());
        }
        return verify(signed);
    }

    public Command verify(SignedCommand signed) {
        if (signed.payload() == null || signed.signature() == null || signed.keyId() == null) {
            throw new CommandRejectedException(Reason.MALFORMED, "payload, signature and keyId are required");
        }
        Ed25519PublicKeyParameters key = keysById.get(signed.keyId());
        if (key == null) {
            throw new CommandRejectedException(Reason.UNKNOWN_KEY, "no pinned key with id " + signed.keyId());
        }
        byte[] payload;
        byte[] sig;
        try {
            Base64.Decoder b64 = Base64.getUrlDecoder();
            payload = b64.decode(signed.payload());
            sig = b64.decode(signed.signature());
        } catch (IllegalArgumentException e) {
            throw new CommandRejectedException(Reason.MALFORMED, "payload or signature is not base64url");
        }
        if (!Ed25519.verify(key, payload, sig)) {
            throw new CommandRejectedException(Reason.BAD_SIGNATURE, "signature does not match payload");
        }
        Command command;
        try {
            command = Json.read(payload, Command.class);
        } catch (MalformedMessageException e) {
            throw new CommandRejectedException(Reason.MALFORMED, e.getMessage());
        }
        if (!tenant.equals(command.tenant())) {
            throw new CommandRejectedException(Reason.WRONG_TENANT, "command is for tenant " + command.tenant());
        }
        if (!deviceId.equals(command.deviceId())) {
            throw new CommandRejectedException(Reason.WRONG_DEVICE, "command is for device " + command.deviceId());
        }
        Instant now = clock.instant();
        if (now.isBefore(command.issuedAt().minus(allowedSkew))) {
            throw new CommandRejectedException(Reason.NOT_YET_VALID, "issued at " + command.issuedAt() + ", now " + now);
        }
        if (!now.isBefore(command.expiresAt())) {
            throw new CommandRejectedException(Reason.EXPIRED, "expired at " + command.expiresAt() + ", now " + now);
        }
        return command;
    }

}
