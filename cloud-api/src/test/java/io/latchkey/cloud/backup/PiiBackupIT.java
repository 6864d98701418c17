package io.latchkey.cloud.backup;

import static io.latchkey.cloud.it.CloudApp.PASSWORD;
import static io.latchkey.cloud.it.CloudApp.expect;
import static io.latchkey.cloud.it.PiiFixtures.concat;
import static io.latchkey.cloud.it.PiiFixtures.registerWithProfile;
import static io.latchkey.cloud.it.PiiFixtures.sealedValuesIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.cloud.it.CloudApp;
import io.latchkey.cloud.it.DataDir;
import io.latchkey.cloud.it.Http;
import io.latchkey.cloud.it.PiiFixtures.Person;
import io.latchkey.cloud.it.PiiFixtures.Sealed;
import io.latchkey.cloud.pii.PiiCipher;
import io.latchkey.cloud.pii.PiiErasedException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup never holds the personal-data keys (issue 16): an account terminated after a backup stays erased when
 * that backup is restored with the live keys, while every other account's personal data opens as before.
 */
class PiiBackupIT {
    /** Both backends answer under one public URL, the issuer of their tokens (as after a restore in place). */
    private static final Map<String, Object> SETTINGS = Map.of("latchkey.public-url", "https://cars.example.test");

    @TempDir
    Path work;

    @Test
    void anAccountTerminatedAfterABackup_staysErasedAfterTheRestore_andTheOthersOpen() {
        Path dataDir = work.resolve("data");
        Path backup = work.resolve("backup");
        Person tess = new Person("tess.gone@acme.test", "Tess Gone", "+44 20 7946 0111", "TESSG7788", "1984-05-06");
        Person bob = new Person("bob.stays@acme.test", "Bob Stays", "+49 30 5550 4321", "BOBS9911", "1977-08-09");
        String tenantAdmin;
        String tessId;
        String bobId;
        try (CloudApp app = CloudApp.start(dataDir, SETTINGS)) {
            tenantAdmin = app.tenantWithAdmin("acme");
            tessId = registerWithProfile(app, "acme", tess);
            bobId = registerWithProfile(app, "acme", bob);
            String tessToken = app.token("acme", tess.email());

            cli("backup", "--out", backup.toString(), "--data-dir", dataDir.toString());
            expect(204, app.http.delete("/t/acme/users/me", tessToken));
        }
        assertThat(Restore.verify(backup, null).files()).extracting(BackupManifest.FileEntry::path)
                .as("no personal-data key in the backup").noneMatch(p -> p.contains(".pii") || p.contains("pii-keys"));
        assertThat(backup.resolve("secrets/acme.enc")).isRegularFile();
        assertThat(backup.resolve("secrets/acme.pii.enc")).doesNotExist();

        Path restored = work.resolve("restored");
        String[] restore = {"restore", "--from", backup.toString(), "--data-dir", restored.toString(),
                "--master-key", dataDir.resolve("platform/master.key").toString()};
        assertThatThrownBy(() -> cli(restore)).isInstanceOf(BackupException.class).hasMessageContaining("--pii-keys");
        assertThat(restored).doesNotExist();
        String out = cli(concat(List.of(restore), List.of("--pii-keys", dataDir.resolve("secrets").toString()))
                .toArray(String[]::new));
        assertThat(out).contains("personal-data keys of acme: the live ones");

        for (String clear : concat(tess.clearValues(), bob.clearValues())) {
            assertThat(DataDir.filesContaining(restored, clear)).as("never stored in clear: " + clear).isEmpty();
        }
        try (CloudApp app = CloudApp.start(restored, SETTINGS)) {
            List<Sealed> sealed = sealedValuesIn(restored.resolve("tenants/acme"));
            assertThat(sealed).extracting(Sealed::record).contains("users/" + tessId, "users/" + bobId);
            PiiCipher cipher = app.context().getBean(PiiCipher.class);
            int bobsOpened = 0;
            for (Sealed s : sealed) {
                if (s.userId().equals(tessId)) {
                    assertThatThrownBy(() -> cipher.open("acme", s.userId(), s.record(), s.value()))
                            .as(s.record()).isInstanceOf(PiiErasedException.class);
                } else if (s.userId().equals(bobId)) {
                    assertThat(cipher.open("acme", s.userId(), s.record(), s.value())).as(s.record()).contains(bob.email());
                    bobsOpened++;
                }
            }
            assertThat(bobsOpened).isEqualTo(1);

            JsonNode tessRecord = expect(200, app.http.get("/t/acme/users/" + tessId, tenantAdmin)).json();
            assertThat(tessRecord.path("status").asText()).isEqualTo("TERMINATED");
            assertThat(tessRecord.has("email")).isFalse();
            Http.Reply signIn = app.http.postForm("/t/acme/oauth/token",
                    Map.of("grant_type", "password", "username", tess.email(), "password", PASSWORD));
            assertThat(signIn.status()).as(signIn.body()).isEqualTo(400);
            assertThat(signIn.text("error")).isEqualTo("invalid_grant");

            JsonNode me = expect(200, app.http.get("/t/acme/users/me", app.token("acme", bob.email()))).json();
            assertThat(me.path("email").asText()).isEqualTo(bob.email());
            assertThat(me.path("phone").asText()).isEqualTo("+4930" + "55504321");
            assertThat(me.path("driverLicence").asText()).isEqualTo(bob.licence());
            assertThat(expect(200, app.http.get("/t/acme/audit/verify", tenantAdmin)).text("status")).isEqualTo("OK");
        }
    }

    private static String cli(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BackupMain.run(args, Map.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
