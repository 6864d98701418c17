package io.latchkey.cloud.pki;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.cloud.datadir.PrivateFiles;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.Topic;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Revocations kept as one JSON array per tenant in {@code {root}/{tenant}/revoked-certificates.json},
 * so that with {@code root} = the file store's tenants directory they sit in the tenant's own store.
 * Every change rewrites the file through a temporary file and an atomic rename: a crash leaves the
 * old list or the new one, never half of one. Read once per tenant, then served from memory; this
 * process must be the only writer.
 */
public final class FileRevocationRegistry implements RevocationRegistry {
    static final String FILE_NAME = "revoked-certificates.json";
    private static final TypeReference<List<RevokedCertificate>> LIST = new TypeReference<>() { };

    private final Path root;
    private final Clock clock;
    private final ObjectMapper mapper = Json.mapper();
    private final Map<String, Map<String, RevokedCertificate>> cache = new HashMap<>();

    public FileRevocationRegistry(Path root, Clock clock) {
        this.root = Objects.requireNonNull(root, "root");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized boolean revoke(String tenant, BigInteger serial, String deviceId, String reason) {
        Map<String, RevokedCertificate> revoked = load(tenant);
        String key = RevokedCertificate.serialText(serial);
        if (revoked.containsKey(key)) {
            return false;
        }
        Map<String, RevokedCertificate> updated = new LinkedHashMap<>(revoked);
        updated.put(key, new RevokedCertificate(key, deviceId, clock.instant(), reason));
        write(tenant, updated);
        cache.put(tenant, updated);
        return true;
    }

    @Override
    public synchronized boolean isRevoked(String tenant, BigInteger serial) {
        return load(tenant).containsKey(RevokedCertificate.serialText(serial));
    }

    @Override
    public synchronized List<RevokedCertificate> revoked(String tenant) {
        return new ArrayList<>(load(tenant).values());
    }

    private Map<String, RevokedCertificate> load(String tenant) {
        Topic.requireTenantId(tenant);
        Map<String, RevokedCertificate> cached = cache.get(tenant);
        if (cached != null) {
            return cached;
        }
        Path file = fileOf(tenant);
        Map<String, RevokedCertificate> revoked = new LinkedHashMap<>();
        if (Files.exists(file)) {
            try {
                for (RevokedCertificate r : mapper.readValue(file.toFile(), LIST)) {
                    revoked.put(r.serial(), r);
                }
            } catch (IOException e) {
                // An unreadable list must stop trust rather than read as "nothing revoked".
                throw new PkiException("cannot read revocation list " + file + ": " + e.getMessage(), e);
            }
        }
        cache.put(tenant, revoked);
        return revoked;
    }

    private void write(String tenant, Map<String, RevokedCertificate> revoked) {
        Path file = fileOf(tenant);
        try {
            PrivateFiles.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), FILE_NAME, ".tmp");
            try {
                mapper.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), new ArrayList<>(revoked.values()));
                try {
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new PkiException("cannot write revocation list " + file + ": " + e.getMessage(), e);
        }
    }

    private Path fileOf(String tenant) {
        return root.resolve(tenant).resolve(FILE_NAME);
    }
}
