package io.latchkey.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.provisioning.files.PrivateFiles;
import io.latchkey.provisioning.login.TokenStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoginTest {
    @TempDir
    Path home;
    FakeBackend backend;
    Cli cli;

    @org.junit.jupiter.api.BeforeEach
    void start() throws Exception {
        backend = new FakeBackend();
        cli = new Cli(home.resolve("config").resolve("latchkey"));
    }

    @AfterEach
    void stop() throws Exception {
        backend.close();
    }

    @Test
    void login_storesTheTokenReadableByTheInstallerOnly() throws Exception {
        assertThat(cli.login(backend)).as(cli.err).isEqualTo(ExitCodes.OK);

        Path file = cli.configDir.resolve(TokenStore.FILE_NAME);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PrivateFiles.OWNER_ONLY);
        assertThat(Files.getPosixFilePermissions(cli.configDir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.readString(file)).contains("\"tenant\" : \"acme\"").doesNotContain(FakeBackend.PASSWORD);
        assertThat(cli.out).contains("Signed in to tenant acme").contains("roles installer");
    }

    @Test
    void login_withAWrongPassword_saysSoAndStoresNothing() {
        int code = cli.run("login", "--url", backend.url(), "--tenant", "acme", "--username", "mallory@acme.example",
                "--password-env", "INSTALLER_PASSWORD");

        assertThat(code).isEqualTo(ExitCodes.REFUSED);
        assertThat(cli.err).contains("wrong e-mail or password").contains("Next:");
        assertThat(cli.configDir.resolve(TokenStore.FILE_NAME)).doesNotExist();
    }

    @Test
    void login_toAnUnknownTenant_namesTheTenant() {
        int code = cli.run("login", "--url", backend.url(), "--tenant", "globex", "--username", FakeBackend.USER,
                "--password-env", "INSTALLER_PASSWORD");

        assertThat(code).isEqualTo(ExitCodes.REFUSED);
        assertThat(cli.err).contains("unknown tenant").contains("check the tenant id 'globex'");
    }

    @Test
    void login_overPlainHttpToAnotherHost_isRefusedBeforeSendingThePassword() {
        int code = cli.run("login", "--url", "http://cloud.example.com", "--tenant", "acme", "--username", FakeBackend.USER,
                "--password-env", "INSTALLER_PASSWORD");

        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err).contains("refusing plain HTTP");
    }

    @Test
    void backendThatCannotBeReached_saysNothingChanged() {
        int code = cli.run("login", "--url", "http://127.0.0.1:1", "--tenant", "acme", "--username", FakeBackend.USER,
                "--password-env", "INSTALLER_PASSWORD");

        assertThat(code).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(cli.err).contains("cannot reach the backend").contains("nothing was changed");
    }
}
