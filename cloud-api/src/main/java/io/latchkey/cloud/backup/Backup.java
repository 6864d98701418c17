package io.latchkey.cloud.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.cloud.audit.AuditLog;
import io.latchkey.cloud.audit.ChainVerification;
import io.latchkey.cloud.audit.HashChainedAuditLog;
import io.latchkey.cloud.datadir.PrivateFiles;
import io.latchkey.cloud.store.StreamEnd;
import io.latchkey.cloud.store.TenantStore;
import io.latchkey.cloud.store.Versioned;
import io.latchkey.protocol.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Takes a backup of stores ({@link BackupSource}) into a new directory, online: the backend may keep running.
 *
 * <p>Layout: {@code {scope}/docs/{collection}/{id}.json} (each document's bytes as stored),
 * {@code {scope}/streams/{stream}.jsonl} (each record as stored, one per line), with {@code scope} being
 * {@code platform} or {@code tenants/{id}} (the file store's own layout, so a backup reads as a file store);
 * {@code secrets/{scope}.enc} (the file secret store's sealed files, never its master key); and
 * {@link BackupManifest#FILE_NAME}, written last. Objects are copied as they are stored: whatever the store
 * keeps encrypted stays encrypted in the backup.
 *
 * <p>Consistency, per scope: the documents are read, then the streams, then the documents' versions again; if
 * none changed, the documents are the scope's documents at one moment within the round and every stream holds
 * at least what it held at that moment (streams only grow). Otherwise the round is repeated, at most
 * {@value #ROUNDS} times; if documents keep changing, the last round is kept and the manifest names the documents
 * that changed ({@code consistent: false}). A stream's last record still being written (no complete JSON yet) is
 * left out: it was not acknowledged.
 */
public final class Backup {
    static final int ROUNDS = 5;
    /**
     * Collections never copied into a backup: keys whose destruction must not be undone by a restore (per-user data
     * keys of crypto-shredding, if they are kept in the tenant's store). Empty until such keys exist.
     */
    public static final java.util.Set<String> NOT_COPIED = java.util.Set.of();
    private static final ObjectMapper MAPPER = Json.mapper();

    private final Clock clock;

    public Backup(Clock clock) {
        this.clock = clock;
    }

    /** Writes the backup to {@code out} (which must not exist, or be empty) and returns its manifest. */
    public BackupManifest write(BackupSource source, Path out) {
        requireEmptyOrAbsent(out);
        Path partial = out.resolveSibling("." + out.getFileName() + ".partial-" + UUID.randomUUID());
        Instant started = clock.instant();
        try {
            PrivateFiles.createDirectories(partial);
            List<BackupManifest.Scope> scopes = new ArrayList<>();
            Map<String, BackupManifest.Chain> audit = new TreeMap<>();
            scopes.add(copyScope(source.platform(), partial, "platform"));
            for (String tenant : source.tenants()) {
                TenantStore store = source.tenant(tenant);
                scopes.add(copyScope(store, partial, "tenants/" + tenant));
                audit.put(tenant, chainOf(partial, tenant));
            }
            for (Map.Entry<String, Path> sealed : source.sealedSecretFiles().entrySet()) {
                Path target = partial.resolve("secrets").resolve(sealed.getKey() + ".enc");
                PrivateFiles.createDirectories(target.getParent());
                Files.copy(sealed.getValue(), target, StandardCopyOption.COPY_ATTRIBUTES);
            }
            List<BackupManifest.FileEntry> files = fileEntries(partial);
            BackupManifest manifest = new BackupManifest(BackupManifest.FORMAT, started, clock.instant(), source.kind(),
                    scopes, audit, files);
            PrivateFiles.write(partial.resolve(BackupManifest.FILE_NAME),
                    MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
            if (Files.exists(out)) {
                Files.delete(out);
            }
            Files.move(partial, out, StandardCopyOption.ATOMIC_MOVE);
            return manifest;
        } catch (IOException e) {
            deleteQuietly(partial);
            throw new BackupException("cannot write the backup to " + out + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(partial);
            throw e;
        }
    }

    /** SHA-256 of the manifest file, to keep apart from the backup (restore can insist on it). */
    public static String manifestDigest(Path backup) {
        try {
            return sha256(backup.resolve(BackupManifest.FILE_NAME)).digest();
        } catch (IOException e) {
            throw new BackupException("cannot read the manifest of " + backup, e);
        }
    }

    private BackupManifest.Scope copyScope(TenantStore store, Path root, String scope) throws IOException {
        Path dir = root.resolve(scope);
        for (int round = 1; ; round++) {
            deleteQuietly(dir);
            PrivateFiles.createDirectories(dir);
            Map<String, Versioned<byte[]>> documents = readDocuments(store);
            long records = 0;
            List<String> streams = store.streams();
            for (String stream : streams) {
                records += copyStream(store, stream, dir.resolve("streams").resolve(stream + ".jsonl"));
            }
            Map<String, String> after = versions(store);
            List<String> changed = changed(documents, after);
            if (changed.isEmpty() || round == ROUNDS) {
                for (Map.Entry<String, Versioned<byte[]>> doc : documents.entrySet()) {
                    Path file = dir.resolve("docs").resolve(doc.getKey() + ".json");
                    PrivateFiles.createDirectories(file.getParent());
                    PrivateFiles.write(file, doc.getValue().value());
                }
                return new BackupManifest.Scope(scope, documents.size(), streams.size(), records, round, changed.isEmpty(),
                        changed.isEmpty() ? null : changed);
            }
        }
    }

    private static Map<String, Versioned<byte[]>> readDocuments(TenantStore store) {
        Map<String, Versioned<byte[]>> documents = new TreeMap<>();
        for (String collection : store.collections()) {
            if (NOT_COPIED.contains(collection)) {
                continue;
            }
            for (String id : store.list(collection)) {
                store.read(collection, id).ifPresent(v -> documents.put(collection + "/" + id, v));
            }
        }
        return documents;
    }

    private static Map<String, String> versions(TenantStore store) {
        Map<String, String> versions = new TreeMap<>();
        readDocuments(store).forEach((key, v) -> versions.put(key, v.version()));
        return versions;
    }

    private static List<String> changed(Map<String, Versioned<byte[]>> before, Map<String, String> after) {
        List<String> changed = new ArrayList<>();
        before.forEach((key, v) -> {
            if (!v.version().equals(after.get(key))) {
                changed.add(key);
            }
        });
        after.keySet().stream().filter(key -> !before.containsKey(key)).forEach(changed::add);
        return changed;
    }

    /** Copies a stream's records; a last record that is not complete JSON (being written) is left out. */
    private static long copyStream(TenantStore store, String stream, Path file) throws IOException {
        PrivateFiles.createDirectories(file.getParent());
        long[] count = {0};
        byte[][] held = {null};
        PrivateFiles.write(file, new byte[0]);
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.APPEND))) {
            IOException[] failure = {null};
            store.forEach(stream, record -> {
                if (failure[0] != null) {
                    return;
                }
                try {
                    if (held[0] != null) {
                        writeLine(out, held[0]);
                        count[0]++;
                    }
                    held[0] = record;
                } catch (IOException e) {
                    failure[0] = e;
                }
            });
            if (failure[0] != null) {
                throw failure[0];
            }
            if (held[0] != null && isCompleteJson(held[0])) {
                writeLine(out, held[0]);
                count[0]++;
            }
        }
        return count[0];
    }

    private static void writeLine(OutputStream out, byte[] record) throws IOException {
        out.write(record);
        out.write('\n');
    }

    private static boolean isCompleteJson(byte[] record) {
        try {
            MAPPER.readTree(record);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static BackupManifest.Chain chainOf(Path root, String tenant) {
        FileScopes backup = FileScopes.reading(root);
        AuditLog log = new HashChainedAuditLog(backup);
        ChainVerification verification = log.verify(tenant);
        if (verification.firstBrokenIndex() != null) {
            throw new BackupException("the audit chain of " + tenant + " is broken at record " + verification.firstBrokenIndex()
                    + " (" + verification.reason() + ") in the store itself; the backup is not taken");
        }
        StreamEnd end = backup.tenant(tenant).end(HashChainedAuditLog.STREAM);
        String head = end.lastRecord().map(Backup::hashOf).orElse(null);
        return new BackupManifest.Chain(verification.records(), head);
    }

    static String hashOf(byte[] auditLine) {
        try {
            return MAPPER.readTree(auditLine).path("hash").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    static List<BackupManifest.FileEntry> fileEntries(Path root) throws IOException {
        List<BackupManifest.FileEntry> entries = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                String path = root.relativize(file).toString().replace('\\', '/');
                if (path.equals(BackupManifest.FILE_NAME)) {
                    continue;
                }
                Digest digest = sha256(file);
                entries.add(new BackupManifest.FileEntry(path, digest.bytes(), digest.digest(),
                        path.endsWith(".jsonl") ? digest.lines() : null));
            }
        }
        return entries;
    }

    record Digest(long bytes, String digest, long lines) {
    }

    static Digest sha256(Path file) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long bytes = 0;
        long lines = 0;
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                bytes += n;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        return new Digest(bytes, HexFormat.of().formatHex(sha.digest()), lines);
    }

    static void requireEmptyOrAbsent(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new BackupException(dir + " exists and is not a directory");
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw new BackupException(dir + " is not empty; give a new directory");
            }
        } catch (IOException e) {
            throw new BackupException("cannot read " + dir, e);
        }
    }

    static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // best effort: a partial backup has no manifest and is refused by restore anyway
        }
    }
}
