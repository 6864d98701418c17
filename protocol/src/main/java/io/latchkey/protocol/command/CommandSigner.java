package io.latchkey.protocol.command;

import io.latchkey.protocol.Json;
import io.latchkey.protocol.Keys;
import io.latchkey.protocol.ProtocolException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Objects;

/** Signs commands with a tenant's Ed25519 command key. Thread-safe. */
public final class CommandSigner {
    private final PrivateKey key;
    private final String keyId;

    public CommandSigner(PrivateKey key, String keyId) {
        this.key = Objects.requireNonNull(key, "key");
        this.keyId = Objects.requireNonNull(keyId, "keyId");
    }

    public SignedCommand sign(Command command) {
        byte[] payload = Json.write(command);
        try {
            Signature signature = Signature.getInstance(Keys.COMMAND_KEY_ALGORITHM);
            signature.initSign(key);
            signature.update(payload);
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            return new SignedCommand(b64.encodeToString(payload), b64.encodeToString(signature.sign()), keyId);
        } catch (GeneralSecurityException e) {
            throw new ProtocolException("cannot sign command " + command.id(), e);
        }
    }
}
