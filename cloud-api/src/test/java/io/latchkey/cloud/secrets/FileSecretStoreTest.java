package io.latchkey.cloud.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSecretStoreTest {
    @TempDir
    Path dir;

    FileSecretStore open() {
        return new FileSecretStore(dir.resolve("secrets"), dir.resolve("platform/master.key"), new SecureRandom());
    }

    @Test
    void secrets_surviveARestart_andAreCreatedOnce() {
        assertThat(open().getOrCreate("acme", "k", () -> "first")).isEqualTo("first");
        FileSecretStore again = open();
        assertThat(again.getOrCreate("acme", "k", () -> "second")).isEqualTo("first");
        assertThat(again.get("acme", "k")).contains("first");
        assertThat(again.get("beta", "k")).isEmpty();
    }

    @Test
    void aDeletedSecret_isGoneForGood_andTheOthersStay() {
        FileSecretStore store = open();
        store.getOrCreate("acme", "user-key", () -> "destroy me");
        store.getOrCreate("acme", "kept", () -> "keep me");

        assertThat(store.delete("acme", "user-key")).isTrue();

        assertThat(store.get("acme", "user-key")).isEmpty();
        assertThat(store.delete("acme", "user-key")).isFalse();
        assertThat(open().get("acme", "user-key")).as("after a restart").isEmpty();
        assertThat(open().get("acme", "kept")).contains("keep me");
    }

    @Test
    void aGenerator_thatStoresAnotherSecretOfTheScope_losesNeitherSecret() {
        FileSecretStore store = open();
        store.getOrCreate("acme", "outer", () -> "outer:" + store.getOrCreate("acme", "inner", () -> "inner"));

        FileSecretStore restarted = open();
        assertThat(restarted.get("acme", "inner")).contains("inner");
        assertThat(restarted.get("acme", "outer")).contains("outer:inner");
    }

    @Test
    void files_areEncrypted_andOwnerOnly() throws Exception {
        open().getOrCreate("acme", "k", () -> "very-secret-value");
        Path file = dir.resolve("secrets/acme.enc");
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).doesNotContain("very-secret-value");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("platform/master.key"))))
                .isEqualTo("rw-------");
    }

    @Test
    void aTenantsFile_cannotBePassedOffAsAnothers() throws Exception {
        open().getOrCreate("acme", "k", () -> "acme-secret");
        Files.copy(dir.resolve("secrets/acme.enc"), dir.resolve("secrets/beta.enc"));
        assertThatThrownBy(() -> open().get("beta", "k")).isInstanceOf(SecretStoreException.class);
    }

    @Test
    void aTamperedFile_isRefused() throws Exception {
        open().getOrCreate("acme", "k", () -> "acme-secret");
        Path file = dir.resolve("secrets/acme.enc");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 1;
        Files.write(file, bytes);
        assertThatThrownBy(() -> open().get("acme", "k")).isInstanceOf(SecretStoreException.class);
    }
}
