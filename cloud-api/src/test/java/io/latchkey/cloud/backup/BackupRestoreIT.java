package io.latchkey.cloud.backup;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.cloud.it.CloudApp;
import io.latchkey.cloud.it.TestDevice;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code latchkey backup} taken from a running backend on the file store, then more changes, then
 * {@code latchkey restore} into a new data directory: a backend started there serves the bookings, telemetry and
 * audit trail as they were at the backup (and accepts the tokens it issued before, its secrets restored sealed), and
 * nothing after. Incomplete, truncated and altered backups are refused and leave the target untouched.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupRestoreIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Both backends answer under one public URL, the issuer of their tokens (as after a restore in place). */
    private static final Map<String, Object> SETTINGS = Map.of("latchkey.public-url", "https://cars.example.test");
    @TempDir
    static Path work;
    Path dataDir;
    Path backup;
    String tenantAdmin;
    String operator;
    String borrower;
    JsonNode bookingsAtBackup;
    JsonNode telemetryAtBackup;
    JsonNode auditAtBackup;
    String manifestDigest;

    @BeforeAll
    void takeABackupOnline_thenChangeMore() throws Exception {
        dataDir = work.resolve("data");
        backup = work.resolve("backup-1");
        try (CloudApp app = CloudApp.start(dataDir, SETTINGS)) {
            tenantAdmin = app.tenantWithAdmin("acme");
            operator = app.user("acme", tenantAdmin, "olga@acme.test", "operator");
            borrower = app.user("acme", tenantAdmin, "bob@acme.test", "borrower");
            app.car("acme", operator, "car-1", "dev-001");
            JsonNode discovery = expect(200, app.http.get("/t/acme/.well-known/latchkey-device", null)).json();
            Instant now = Instant.now();
            try (TestDevice device = new TestDevice(app, "acme", "dev-001", TestDevice.keys(discovery), Clock.systemUTC())) {
                device.publishTelemetry(record(1), record(2), record(3));
                await().atMost(Duration.ofSeconds(15)).until(() ->
                        expect(200, app.http.get("/t/acme/cars/car-1/telemetry?limit=100", operator)).json().size() == 3);
                expect(201, app.http.postJson("/t/acme/bookings", borrower, Map.of("carId", "car-1",
                        "start", now.plus(Duration.ofHours(1)).toString(), "end", now.plus(Duration.ofHours(2)).toString())));

                bookingsAtBackup = expect(200, app.http.get("/t/acme/bookings", borrower)).json();
                telemetryAtBackup = expect(200, app.http.get("/t/acme/cars/car-1/telemetry?limit=100", operator)).json();
                auditAtBackup = expect(200, app.http.get("/t/acme/audit?limit=1000", tenantAdmin)).json();
                // online: the backend keeps running (and holds its data directory's lock)
                String out = cli("backup", "--out", backup.toString(), "--data-dir", dataDir.toString());
                assertThat(out).contains("latchkey backup: wrote " + backup).contains("tenants/acme:")
                        .contains("master key").doesNotContain("NOT one snapshot");
                manifestDigest = Backup.manifestDigest(backup);
                assertThat(out).contains("manifest SHA-256: " + manifestDigest);

                // after the backup: more telemetry, another booking, a new user
                device.publishTelemetry(record(4), record(5));
                await().atMost(Duration.ofSeconds(15)).until(() ->
                        expect(200, app.http.get("/t/acme/cars/car-1/telemetry?limit=100", operator)).json().size() == 5);
                expect(201, app.http.postJson("/t/acme/bookings", borrower, Map.of("carId", "car-1",
                        "start", now.plus(Duration.ofHours(3)).toString(), "end", now.plus(Duration.ofHours(4)).toString())));
                app.user("acme", tenantAdmin, "late@acme.test", "borrower");
            }
        }
    }

    @Test
    void theManifest_countsAndHashesEveryFile_andTheSecretsAreOnlySealed() throws Exception {
        BackupManifest manifest = io.latchkey.protocol.Json.mapper().readValue(backup.resolve(BackupManifest.FILE_NAME).toFile(), BackupManifest.class);
        assertThat(manifest.format()).isEqualTo(BackupManifest.FORMAT);
        assertThat(manifest.store()).isEqualTo("file");
        assertThat(manifest.scopes()).extracting(BackupManifest.Scope::scope).containsExactly("platform", "tenants/acme");
        assertThat(manifest.scopes()).allSatisfy(s -> assertThat(s.consistent()).isTrue());
        assertThat(manifest.audit().get("acme").records()).isEqualTo(auditAtBackup.size());
        assertThat(manifest.files()).extracting(BackupManifest.FileEntry::path)
                .contains("secrets/acme.enc", "tenants/acme/streams/audit.jsonl")
                .noneMatch(p -> p.contains("master.key"));
        // a sealed file is the store's ciphertext, not the keys in clear
        String sealed = Files.readString(backup.resolve("secrets/acme.enc"), StandardCharsets.ISO_8859_1);
        assertThat(sealed).doesNotContain("PRIVATE KEY").doesNotContain("device-ca");
        for (BackupManifest.FileEntry entry : manifest.files()) {
            assertThat(Backup.sha256(backup.resolve(entry.path())).digest()).isEqualTo(entry.sha256());
        }
    }

    @Test
    void aRestoredBackup_startsAndServesTheSameBookingsTelemetryAndAudit_andNothingAfterTheBackup() throws Exception {
        Path restored = work.resolve("restored");
        String out = cli("restore", "--from", backup.toString(), "--data-dir", restored.toString(),
                "--master-key", dataDir.resolve("platform/master.key").toString(), "--expect-sha256", manifestDigest);
        // the restore is one more record of the trail, after the ones backed up
        assertThat(out).contains("audit chain of acme: OK, " + (auditAtBackup.size() + 1) + " records");
        try (CloudApp app = CloudApp.start(restored, SETTINGS)) {
            // tokens issued before the backup still verify: the signing keys came back (sealed) with the backup
            assertThat(expect(200, app.http.get("/t/acme/bookings", borrower)).json()).isEqualTo(bookingsAtBackup);
            assertThat(expect(200, app.http.get("/t/acme/cars/car-1/telemetry?limit=100", operator)).json())
                    .isEqualTo(telemetryAtBackup).hasSize(3);
            JsonNode audit = expect(200, app.http.get("/t/acme/audit?limit=1000", tenantAdmin)).json();
            assertThat(audit).hasSize(auditAtBackup.size() + 1);
            for (int i = 0; i < auditAtBackup.size(); i++) {
                assertThat(audit.get(i)).isEqualTo(auditAtBackup.get(i));
            }
            JsonNode restore = audit.get(auditAtBackup.size());
            assertThat(restore.path("action").asText()).isEqualTo(Restore.RESTORE_ACTION);
            assertThat(restore.path("actor").asText()).isEqualTo("system");
            assertThat(expect(200, app.http.get("/t/acme/audit/verify", tenantAdmin)).text("status")).isEqualTo("OK");
            // what happened after the backup is not there: the later user cannot sign in
            assertThat(app.http.postForm("/t/acme/oauth/token", Map.of("grant_type", "password",
                    "username", "late@acme.test", "password", CloudApp.PASSWORD)).status()).isEqualTo(400);
            // and the restored backend keeps working: a new booking in the slot taken after the backup
            Instant now = Instant.now();
            expect(201, app.http.postJson("/t/acme/bookings", app.token("acme", "bob@acme.test"), Map.of("carId", "car-1",
                    "start", now.plus(Duration.ofHours(3)).toString(), "end", now.plus(Duration.ofHours(4)).toString())));
        }
    }

    @Test
    void anIncompleteTruncatedOrAlteredBackup_isRefused_andTheTargetStaysUntouched() throws Exception {
        String key = dataDir.resolve("platform/master.key").toString();
        Path target = work.resolve("never-written");

        Path noManifest = copyOf(backup, "no-manifest");
        Files.delete(noManifest.resolve(BackupManifest.FILE_NAME));
        assertRefused(noManifest, target, key, "has no manifest.json");

        Path truncated = copyOf(backup, "truncated");
        Path telemetry = onlyStreamOtherThanAudit(truncated);
        byte[] bytes = Files.readAllBytes(telemetry);
        Files.write(telemetry, java.util.Arrays.copyOf(bytes, bytes.length - 20));
        assertRefused(truncated, target, key, "bytes, the manifest says");

        Path altered = copyOf(backup, "altered");
        Path booking;
        try (Stream<Path> files = Files.walk(altered.resolve("tenants/acme/docs"))) {
            booking = files.filter(Files::isRegularFile).filter(p -> p.toString().contains("booking"))
                    .filter(p -> contains(p, "car-1")).findFirst().orElseThrow();
        }
        Files.writeString(booking, Files.readString(booking).replace("car-1", "car-2"));
        assertRefused(altered, target, key, "does not match its SHA-256");

        Path missing = copyOf(backup, "missing");
        Files.delete(missing.resolve("secrets/acme.enc"));
        assertRefused(missing, target, key, "secrets/acme.enc is missing");

        Path added = copyOf(backup, "added");
        Files.writeString(added.resolve(altered.relativize(booking.getParent())).resolve("b-extra.json"), "{}");
        assertRefused(added, target, key, "is not in the manifest");

        // a forger who rewrites the audit trail and the manifest's hashes: the chain does not verify
        Path forged = copyOf(backup, "forged");
        Path audit = forged.resolve("tenants/acme/streams/audit.jsonl");
        List<String> lines = Files.readAllLines(audit);
        ObjectNode first = (ObjectNode) JSON.readTree(lines.get(0));
        first.put("actor", "someone-else");
        lines.set(0, JSON.writeValueAsString(first));
        Files.write(audit, lines);
        rehash(forged, "tenants/acme/streams/audit.jsonl");
        assertRefused(forged, target, key, "audit chain of acme in the backup is broken at record 0");
        // and with the digest kept apart, the changed manifest itself is refused
        assertThatThrownBy(() -> cli("restore", "--from", forged.toString(), "--data-dir", target.toString(),
                "--master-key", key, "--expect-sha256", manifestDigest))
                .hasMessageContaining("manifest's SHA-256 is not the one given");

        // the sealed secrets are useless without the master key: refused rather than a backend that cannot start
        assertThatThrownBy(() -> cli("restore", "--from", backup.toString(), "--data-dir", target.toString()))
                .hasMessageContaining("give its master key with --master-key");
        assertThat(target).doesNotExist();

        // a target that is not empty
        Path used = work.resolve("used");
        Files.createDirectories(used.resolve("platform"));
        Files.writeString(used.resolve("platform/keep.txt"), "x");
        assertThatThrownBy(() -> cli("restore", "--from", backup.toString(), "--data-dir", used.toString(), "--master-key", key))
                .hasMessageContaining("is not empty");
        try (Stream<Path> files = Files.walk(used)) {
            assertThat(files.filter(Files::isRegularFile).toList()).containsExactly(used.resolve("platform/keep.txt"));
        }
        // --check says the intact backup is intact
        assertThat(cli("restore", "--from", backup.toString(), "--check")).contains("is complete and intact");
    }

    private void assertRefused(Path bad, Path target, String key, String reason) {
        assertThatThrownBy(() -> cli("restore", "--from", bad.toString(), "--data-dir", target.toString(), "--master-key", key))
                .isInstanceOf(BackupException.class).hasMessageContaining("refused").hasMessageContaining(reason);
        assertThat(target).doesNotExist();
    }

    private static boolean contains(Path file, String text) {
        try {
            return Files.readString(file).contains(text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path onlyStreamOtherThanAudit(Path backup) throws IOException {
        try (Stream<Path> files = Files.list(backup.resolve("tenants/acme/streams"))) {
            return files.filter(p -> p.getFileName().toString().startsWith("telemetry")).findFirst().orElseThrow();
        }
    }

    /** Rewrites the manifest's size and hash of one file, as a forger would. */
    private static void rehash(Path backup, String path) throws IOException {
        Path manifestFile = backup.resolve(BackupManifest.FILE_NAME);
        ObjectNode manifest = (ObjectNode) JSON.readTree(manifestFile.toFile());
        for (JsonNode entry : (ArrayNode) manifest.get("files")) {
            if (entry.get("path").asText().equals(path)) {
                Backup.Digest digest = Backup.sha256(backup.resolve(path));
                ((ObjectNode) entry).put("bytes", digest.bytes()).put("sha256", digest.digest());
            }
        }
        Files.write(manifestFile, JSON.writeValueAsBytes(manifest));
    }

    private Path copyOf(Path from, String name) throws IOException {
        Path to = work.resolve(name);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }

    private static String cli(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BackupMain.run(args, Map.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static TelemetryRecord record(long seq) {
        return new TelemetryRecord(seq, Instant.now().minusSeconds(60).plusSeconds(seq), 52.5, 13.4, 30.0,
                1200.0, null, false, true, 3, null, null);
    }
}
