package io.latchkey.cloud.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.cloud.audit.AuditEntry;
import io.latchkey.cloud.audit.ChainVerification;
import io.latchkey.cloud.audit.HashChainedAuditLog;
import io.latchkey.cloud.datadir.PrivateFiles;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.TenantStore;
import io.latchkey.protocol.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Restores a backup ({@link Backup}) into empty stores. Everything is checked before the first write, so a
 * backup that is incomplete, truncated or altered, or a target that is not empty, is refused with the reason and
 * changes nothing: the manifest must be there (and match the digest kept apart, if given), every file it lists
 * must be there with its size, SHA-256 and record count, no other file may be there, the counts of each scope
 * must add up, and every tenant's audit chain must verify and end at the hash the manifest recorded. After
 * writing, the audit chains are verified again in the target, and each gets one record of the restore
 * ({@value #RESTORE_ACTION}).
 */
public final class Restore {
    private static final ObjectMapper MAPPER = Json.mapper();
    private static final String NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";
    private static final String SCOPE = "(platform|tenants/" + NAME + ")";
    private static final Pattern DOCUMENT = Pattern.compile(SCOPE + "/docs/(" + NAME + ")/(" + NAME + ")\\.json");
    private static final Pattern STREAM = Pattern.compile(SCOPE + "/streams/(" + NAME + ")\\.jsonl");
    private static final Pattern SECRETS = Pattern.compile("secrets/(" + NAME + ")\\.enc");
    private static final int BATCH_RECORDS = 500;
    /** The audit action appended to every restored tenant's trail (actor {@code system}, subject {@code backup/{startedAt}}). */
    public static final String RESTORE_ACTION = "store.restore";
    private static final long BATCH_BYTES = 1024 * 1024;

    /** What was restored, with each tenant's audit chain as verified in the target. */
    public record Result(BackupManifest manifest, Map<String, ChainVerification> audit) {
    }

    private Restore() {
    }

    /**
     * Checks a backup completely without writing anything.
     *
     * @param expectedManifestSha256 the digest printed when the backup was taken, or null
     * @throws BackupException naming the first problem
     */
    public static BackupManifest verify(Path backup, String expectedManifestSha256) {
        Path manifestFile = backup.resolve(BackupManifest.FILE_NAME);
        if (!Files.isRegularFile(manifestFile)) {
            throw new BackupException("refused: " + backup + " has no " + BackupManifest.FILE_NAME
                    + " (not a backup, or one that did not finish)");
        }
        if (expectedManifestSha256 != null && !Backup.manifestDigest(backup).equalsIgnoreCase(expectedManifestSha256.strip())) {
            throw new BackupException("refused: the manifest's SHA-256 is not the one given (the manifest was changed)");
        }
        BackupManifest manifest;
        try {
            manifest = MAPPER.readValue(Files.readAllBytes(manifestFile), BackupManifest.class);
        } catch (IOException e) {
            throw new BackupException("refused: " + BackupManifest.FILE_NAME + " is not a readable manifest: " + e.getMessage(), e);
        }
        if (!BackupManifest.FORMAT.equals(manifest.format()) || manifest.files() == null || manifest.scopes() == null) {
            throw new BackupException("refused: not a " + BackupManifest.FORMAT + " manifest");
        }
        Set<String> scopes = new HashSet<>();
        manifest.scopes().forEach(s -> scopes.add(s.scope()));
        if (!scopes.contains("platform")) {
            throw new BackupException("refused: the manifest has no platform scope");
        }
        Map<String, int[]> documents = new HashMap<>();
        Map<String, long[]> records = new HashMap<>();
        Set<String> listed = new TreeSet<>();
        for (BackupManifest.FileEntry entry : manifest.files()) {
            String path = entry.path();
            String scope = scopeOf(path);
            if (scope == null) {
                throw new BackupException("refused: the manifest lists a file that a backup cannot hold: " + path);
            }
            if (!scope.equals("secrets") && !scopes.contains(scope)) {
                throw new BackupException("refused: " + path + " belongs to no scope of the manifest");
            }
            listed.add(path);
            Path file = backup.resolve(path);
            Backup.Digest digest;
            try {
                digest = Backup.sha256(file);
            } catch (NoSuchFileException e) {
                throw new BackupException("refused: the backup is incomplete: " + path + " is missing");
            } catch (IOException e) {
                throw new BackupException("refused: cannot read " + path + ": " + e.getMessage(), e);
            }
            if (digest.bytes() != entry.bytes()) {
                throw new BackupException("refused: " + path + " has " + digest.bytes() + " bytes, the manifest says "
                        + entry.bytes() + " (truncated or altered)");
            }
            if (!digest.digest().equalsIgnoreCase(String.valueOf(entry.sha256()))) {
                throw new BackupException("refused: " + path + " does not match its SHA-256 in the manifest (altered)");
            }
            if (path.endsWith(".jsonl")) {
                if (entry.records() == null || digest.lines() != entry.records()) {
                    throw new BackupException("refused: " + path + " holds " + digest.lines() + " records, the manifest says "
                            + entry.records());
                }
                records.computeIfAbsent(scope, s -> new long[1])[0] += digest.lines();
            } else if (path.endsWith(".json")) {
                documents.computeIfAbsent(scope, s -> new int[1])[0]++;
            }
        }
        try (Stream<Path> walk = Files.walk(backup)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                String path = backup.relativize(file).toString().replace('\\', '/');
                if (!path.equals(BackupManifest.FILE_NAME) && !listed.contains(path)) {
                    throw new BackupException("refused: " + path + " is not in the manifest (added after the backup)");
                }
            }
        } catch (IOException e) {
            throw new BackupException("refused: cannot read " + backup + ": " + e.getMessage(), e);
        }
        for (BackupManifest.Scope scope : manifest.scopes()) {
            int docs = documents.getOrDefault(scope.scope(), new int[1])[0];
            long recs = records.getOrDefault(scope.scope(), new long[1])[0];
            if (docs != scope.documents() || recs != scope.records()) {
                throw new BackupException("refused: scope " + scope.scope() + " holds " + docs + " documents and " + recs
                        + " records, the manifest says " + scope.documents() + " and " + scope.records());
            }
        }
        HashChainedAuditLog chains = new HashChainedAuditLog(FileScopes.reading(backup));
        Map<String, BackupManifest.Chain> audit = manifest.audit() == null ? Map.of() : manifest.audit();
        for (String scope : scopes) {
            if (scope.startsWith("tenants/") && !audit.containsKey(scope.substring("tenants/".length()))) {
                throw new BackupException("refused: the manifest has no audit chain for " + scope);
            }
        }
        for (Map.Entry<String, BackupManifest.Chain> chain : audit.entrySet()) {
            if (!scopes.contains("tenants/" + chain.getKey())) {
                throw new BackupException("refused: the manifest has an audit chain for " + chain.getKey() + " but no scope");
            }
            ChainVerification verification = chains.verify(chain.getKey());
            if (!ChainVerification.OK.equals(verification.status())) {
                throw new BackupException("refused: the audit chain of " + chain.getKey() + " in the backup is broken at record "
                        + verification.firstBrokenIndex() + ": " + verification.reason());
            }
            String head = FileScopes.reading(backup).tenant(chain.getKey()).end(HashChainedAuditLog.STREAM).lastRecord()
                    .map(Backup::hashOf).orElse(null);
            if (verification.records() != chain.getValue().records() || !java.util.Objects.equals(head, chain.getValue().head())) {
                throw new BackupException("refused: the audit chain of " + chain.getKey() + " has " + verification.records()
                        + " records ending at " + head + ", the manifest says " + chain.getValue().records() + " ending at "
                        + chain.getValue().head());
            }
        }
        return manifest;
    }

    /**
     * Verifies the backup, checks that every target store is empty, writes, and verifies the audit chains in the
     * target.
     *
     * @param secretsDir where the file secret store's sealed files go ({@code {data-dir}/secrets}), or null when the
     *                   target keeps its secrets elsewhere (then sealed files in the backup are refused)
     */
    public static Result restore(Path backup, Stores target, Path secretsDir, String expectedManifestSha256) {
        BackupManifest manifest = verify(backup, expectedManifestSha256);
        FileScopes source = FileScopes.reading(backup);
        Map<String, TenantStore> targets = new LinkedHashMap<>();
        for (BackupManifest.Scope scope : manifest.scopes()) {
            TenantStore store = scope.scope().equals("platform") ? target.platform()
                    : target.tenant(scope.scope().substring("tenants/".length()));
            if (!store.collections().isEmpty() || !store.streams().isEmpty()) {
                throw new BackupException("refused: the target is not empty: " + scope.scope() + " already holds "
                        + store.collections() + " " + store.streams() + "; restore into a new, empty store");
            }
            targets.put(scope.scope(), store);
        }
        List<BackupManifest.FileEntry> sealed = manifest.files().stream().filter(f -> f.path().startsWith("secrets/")).toList();
        if (!sealed.isEmpty()) {
            if (secretsDir == null) {
                throw new BackupException("refused: the backup holds the file secret store's sealed files, but the target "
                        + "has no file secret store to put them in");
            }
            for (BackupManifest.FileEntry entry : sealed) {
                if (Files.exists(secretsDir.resolve(Path.of(entry.path()).getFileName()))) {
                    throw new BackupException("refused: the target is not empty: " + secretsDir.resolve(Path.of(entry.path()).getFileName())
                            + " exists");
                }
            }
        }
        for (Map.Entry<String, TenantStore> scope : targets.entrySet()) {
            TenantStore from = scope.getKey().equals("platform") ? source.platform()
                    : source.tenant(scope.getKey().substring("tenants/".length()));
            copy(from, scope.getValue());
        }
        try {
            for (BackupManifest.FileEntry entry : sealed) {
                PrivateFiles.createDirectories(secretsDir);
                Path to = secretsDir.resolve(Path.of(entry.path()).getFileName());
                Files.copy(backup.resolve(entry.path()), to, StandardCopyOption.COPY_ATTRIBUTES);
            }
        } catch (IOException e) {
            throw new BackupException("cannot write the sealed secrets into " + secretsDir + ": " + e.getMessage(), e);
        }
        Map<String, ChainVerification> audit = new LinkedHashMap<>();
        HashChainedAuditLog chains = new HashChainedAuditLog(target);
        for (Map.Entry<String, BackupManifest.Chain> chain : (manifest.audit() == null ? Map.<String, BackupManifest.Chain>of()
                : manifest.audit()).entrySet()) {
            ChainVerification verification = chains.verify(chain.getKey());
            if (!ChainVerification.OK.equals(verification.status()) || verification.records() != chain.getValue().records()) {
                throw new BackupException("the audit chain of " + chain.getKey() + " does not verify after the restore: "
                        + verification);
            }
            // the restore itself is a state change of the tenant: its trail says when and from which backup
            chains.append(chain.getKey(), new AuditEntry(AuditEntry.SYSTEM, Instant.now(), RESTORE_ACTION,
                    "backup/" + manifest.startedAt(), AuditEntry.OK));
            audit.put(chain.getKey(), chains.verify(chain.getKey()));
        }
        return new Result(manifest, audit);
    }

    private static void copy(TenantStore from, TenantStore to) {
        for (String collection : from.collections()) {
            for (String id : from.list(collection)) {
                byte[] bytes = from.read(collection, id).orElseThrow().value();
                to.create(collection, id, bytes);
            }
        }
        for (String stream : from.streams()) {
            List<byte[]> batch = new ArrayList<>();
            long[] bytes = {0};
            from.forEach(stream, record -> {
                batch.add(record);
                bytes[0] += record.length + 1;
                if (batch.size() >= BATCH_RECORDS || bytes[0] >= BATCH_BYTES) {
                    to.appendAll(stream, List.copyOf(batch));
                    batch.clear();
                    bytes[0] = 0;
                }
            });
            if (!batch.isEmpty()) {
                to.appendAll(stream, batch);
            }
        }
    }

    /** {@code platform}, {@code tenants/{id}}, {@code secrets}, or null for a path a backup never holds. */
    static String scopeOf(String path) {
        for (Pattern pattern : List.of(DOCUMENT, STREAM)) {
            Matcher m = pattern.matcher(path);
            if (m.matches()) {
                return m.group(1);
            }
        }
        return SECRETS.matcher(path).matches() ? "secrets" : null;
    }
}
