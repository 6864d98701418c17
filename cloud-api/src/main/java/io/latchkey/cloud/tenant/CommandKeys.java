package io.latchkey.cloud.tenant;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.cloud.secrets.SecretStore;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.Keys;
import io.latchkey.protocol.command.CommandSigner;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each tenant's Ed25519 command keys, kept in its secret store. The first key signs; devices pin the
 * public halves (published by {@code /.well-known/latchkey-device}) and pick one by {@code kid}.
 */
@Singleton
public class CommandKeys {
    static final String SECRET_NAME = "command-keys";
    private static final ObjectMapper MAPPER = Json.mapper();

    /** One key as stored: ids and base64 (PKCS#8 / X.509) forms. */
    record StoredKey(String kid, String privateKey, String publicKey) {
    }

    /** A public command key as devices see it. */
    public record PublicCommandKey(String kid, String alg, String publicKey) {
    }

    private final SecretStore secrets;
    private final Map<String, List<StoredKey>> cache = new ConcurrentHashMap<>();
    private final Map<String, CommandSigner> signers = new ConcurrentHashMap<>();

    public CommandKeys(SecretStore secrets) {
        this.secrets = secrets;
    }

    /** Creates the tenant's first command key if it has none. */
    public void ensure(String tenant) {
        keysOf(tenant);
    }

    public CommandSigner signer(String tenant) {
        return signers.computeIfAbsent(tenant, t -> {
            StoredKey key = keysOf(t).get(0);
            return new CommandSigner(Keys.decodeCommandPrivateKey(key.privateKey()), key.kid());
        });
    }

    public List<PublicCommandKey> publicKeys(String tenant) {
        return keysOf(tenant).stream()
                .map(k -> new PublicCommandKey(k.kid(), Keys.COMMAND_KEY_ALGORITHM, k.publicKey()))
                .toList();
    }

    private List<StoredKey> keysOf(String tenant) {
        return cache.computeIfAbsent(tenant, t -> parse(secrets.getOrCreate(t, SECRET_NAME, CommandKeys::newKeys)));
    }

    private static String newKeys() {
        KeyPair pair = Keys.newCommandKeyPair();
        StoredKey key = new StoredKey("cmd-1", Keys.encodePrivate(pair.getPrivate()), Keys.encodePublic(pair.getPublic()));
        try {
            return MAPPER.writeValueAsString(List.of(key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<StoredKey> parse(String json) {
        try {
            List<StoredKey> keys = MAPPER.readValue(json, new TypeReference<List<StoredKey>>() { });
            if (keys.isEmpty()) {
                throw new IOException("no command keys");
            }
            return List.copyOf(keys);
        } catch (IOException e) {
            throw new UncheckedIOException("stored command keys do not parse", e);
        }
    }
}
