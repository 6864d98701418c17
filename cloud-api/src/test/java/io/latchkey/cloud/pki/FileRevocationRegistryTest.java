package io.latchkey.cloud.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRevocationRegistryTest extends RevocationRegistryContract {
    @TempDir
    Path root;

    @Override
    protected RevocationRegistry registry() {
        return new FileRevocationRegistry(root, CLOCK);
    }

    @Test
    void revocations_surviveARestart_inTheTenantsOwnDirectory() {
        new FileRevocationRegistry(root, CLOCK).revoke("acme", SERIAL, "dev-001", "decommissioned");

        FileRevocationRegistry restarted = new FileRevocationRegistry(root, CLOCK);

        assertThat(restarted.isRevoked("acme", SERIAL)).isTrue();
        assertThat(root.resolve("acme").resolve(FileRevocationRegistry.FILE_NAME)).isRegularFile();
        assertThat(root.resolve("globex")).doesNotExist();
    }

    @Test
    void unreadableList_stopsTrustInsteadOfReadingAsEmpty() throws Exception {
        Files.createDirectories(root.resolve("acme"));
        Files.writeString(root.resolve("acme").resolve(FileRevocationRegistry.FILE_NAME), "{not json");

        assertThatThrownBy(() -> new FileRevocationRegistry(root, CLOCK).isRevoked("acme", SERIAL))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("cannot read revocation list");
    }

    @Test
    void noTemporaryFilesAreLeftBehind() throws Exception {
        FileRevocationRegistry registry = new FileRevocationRegistry(root, CLOCK);
        registry.revoke("acme", SERIAL, "dev-001", "decommissioned");

        try (var files = Files.list(root.resolve("acme"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(FileRevocationRegistry.FILE_NAME);
        }
    }
}
