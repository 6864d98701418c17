package io.latchkey.cloud.secrets;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.cloud.LatchkeyConfig;
import io.latchkey.cloud.datadir.PrivateFiles;
import io.latchkey.protocol.Json;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One AES-256-GCM encrypted file per scope, {@code {data-dir}/secrets/{scope}.enc}, under a master key
 * generated at first start in {@code {data-dir}/platform/master.key}. Files are created 0600. The scope
 * name is authenticated data, so one tenant's file cannot be passed off as another's.
 */
@Singleton
@Requires(property = "latchkey.secrets.type", value = "file", defaultValue = "file")
public final class FileSecretStore implements SecretStore {
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final ObjectMapper MAPPER = Json.mapper();

    private final Path dir;
    private final SecretKey masterKey;
    private final SecureRandom random;
    private final Map<String, Map<String, String>> cache = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public FileSecretStore(LatchkeyConfig config, SecureRandom random) {
        this(config.dataDirPath().resolve("secrets"), config.dataDirPath().resolve("platform").resolve("master.key"), random);
    }

    FileSecretStore(Path dir, Path masterKeyFile, SecureRandom random) {
        this.dir = dir;
        this.random = random;
        this.masterKey = loadOrCreateMasterKey(masterKeyFile, random);
    }

    @Override
    public Optional<String> get(String scope, String name) {
        return Optional.ofNullable(secretsOf(scope).get(name));
    }

    @Override
    public String getOrCreate(String scope, String name, Supplier<String> generator) {
        String existing = secretsOf(scope).get(name);
        if (existing != null) {
            return existing;
        }
        synchronized (lockFor(scope)) {
            Map<String, String> current = secretsOf(scope);
            if (current.containsKey(name)) {
                return current.get(name);
            }
            String value = generator.get();
            // read again after the generator: one that stored another secret of this scope must not lose it
            Map<String, String> next = new TreeMap<>(secretsOf(scope));
            if (next.containsKey(name)) {
                return next.get(name);
            }
            next.put(name, value);
            write(scope, next);
            cache.put(scope, Map.copyOf(next));
            return value;
        }
    }

    @Override
    public String update(String scope, String name, UnaryOperator<String> change) {
        synchronized (lockFor(scope)) {
            Map<String, String> current = secretsOf(scope);
            if (!current.containsKey(name)) {
                throw new SecretStoreException("no secret " + name + " in " + scope, null);
            }
            Map<String, String> next = new TreeMap<>(current);
            String value = change.apply(current.get(name));
            next.put(name, value);
            write(scope, next);
            cache.put(scope, Map.copyOf(next));
            return value;
        }
    }

    @Override
    public boolean delete(String scope, String name) {
        synchronized (lockFor(scope)) {
            Map<String, String> current = secretsOf(scope);
            if (!current.containsKey(name)) {
                return false;
            }
            Map<String, String> next = new TreeMap<>(current);
            next.remove(name);
            write(scope, next);
            cache.put(scope, Map.copyOf(next));
            return true;
        }
    }

    private Map<String, String> secretsOf(String scope) {
        requireScope(scope);
        return cache.computeIfAbsent(scope, this::readFile);
    }

    private Map<String, String> readFile(String scope) {
        Path file = fileOf(scope);
        try {
            byte[] sealed = Files.readAllBytes(file);
            byte[] plain = crypt(Cipher.DECRYPT_MODE, scope, sealed);
            return Map.copyOf(MAPPER.readValue(plain, new TypeReference<Map<String, String>>() { }));
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            throw new SecretStoreException("cannot read the secrets of " + scope, e);
        }
    }

    private void write(String scope, Map<String, String> secrets) {
        Path file = fileOf(scope);
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            createPrivateDirectory(dir);
            byte[] sealed = crypt(Cipher.ENCRYPT_MODE, scope, MAPPER.writeValueAsBytes(secrets));
            Files.createFile(tmp, ownerOnly());
            Files.write(tmp, sealed);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new SecretStoreException("cannot write the secrets of " + scope, e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // only an unreadable temp file with a random name is left behind
            }
        }
    }

    /** Layout: 12-byte IV, then ciphertext and GCM tag. */
    private byte[] crypt(int mode, String scope, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            byte[] aad = ("latchkey-secrets:" + scope).getBytes(StandardCharsets.UTF_8);
            if (mode == Cipher.ENCRYPT_MODE) {
                byte[] iv = new byte[IV_BYTES];
                random.nextBytes(iv);
                cipher.init(mode, masterKey, new GCMParameterSpec(TAG_BITS, iv));
                cipher.updateAAD(aad);
                byte[] sealed = cipher.doFinal(input);
                return ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
            }
            if (input.length < IV_BYTES + TAG_BITS / 8) {
                throw new GeneralSecurityException("secrets file too short");
            }
            cipher.init(mode, masterKey, new GCMParameterSpec(TAG_BITS, input, 0, IV_BYTES));
            cipher.updateAAD(aad);
            return cipher.doFinal(input, IV_BYTES, input.length - IV_BYTES);
        } catch (GeneralSecurityException e) {
            throw new SecretStoreException("the secrets of " + scope + " do not decrypt with this master key", e);
        }
    }

    private static SecretKey loadOrCreateMasterKey(Path file, SecureRandom random) {
        try {
            createPrivateDirectory(file.getParent());
            if (!Files.exists(file)) {
                byte[] key = new byte[32];
                random.nextBytes(key);
                try {
                    Files.createFile(file, ownerOnly());
                    Files.write(file, java.util.Base64.getEncoder().encode(key));
                } catch (FileAlreadyExistsException raced) {
                    // another start created it first: use theirs
                }
            }
            byte[] key = java.util.Base64.getDecoder().decode(Files.readString(file).strip());
            if (key.length != 32) {
                throw new IOException("master key must be 32 bytes, base64");
            }
            return new SecretKeySpec(key, "AES");
        } catch (IOException | IllegalArgumentException e) {
            throw new SecretStoreException("cannot load or create the master key " + file, e);
        }
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        PrivateFiles.createDirectories(dir);
    }

    private static FileAttribute<?>[] ownerOnly() {
        return supportsPosix(Path.of(".").toAbsolutePath())
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
    }

    private static boolean supportsPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private Path fileOf(String scope) {
        return dir.resolve(scope + ".enc");
    }

    private Object lockFor(String scope) {
        return locks.computeIfAbsent(scope, s -> new Object());
    }

    private static void requireScope(String scope) {
        if (scope == null || !scope.matches("[a-z0-9][a-z0-9-]{1,62}")) {
            throw new IllegalArgumentException("secret scope must be a tenant id or 'platform', got '" + scope + "'");
        }
    }
}
