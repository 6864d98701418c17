package io.latchkey.provisioning.login;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.protocol.Json;
import io.latchkey.provisioning.ExitCodes;
import io.latchkey.provisioning.ProvisioningException;
import io.latchkey.provisioning.files.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The installer token file, {@code installer-token.json} in the config directory, readable by its
 * owner only (0600, in a 0700 directory). A token that has expired is refused, not refreshed.
 */
public final class TokenStore {
    public static final String FILE_NAME = "installer-token.json";

    private final Path dir;
    private final Clock clock;
    private final ObjectMapper mapper = Json.mapper();

    public TokenStore(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    public Path file() {
        return dir.resolve(FILE_NAME);
    }

    public void save(InstallerToken token) {
        try {
            PrivateFiles.createPrivateDirectories(dir);
            PrivateFiles.writeAtomically(file(), mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(token), true);
        } catch (IOException e) {
            throw new ProvisioningException("cannot store the installer token in " + file() + ": " + e.getMessage(),
                    "check that " + dir + " is writable by you, or set LATCHKEY_CONFIG_DIR to a directory that is", ExitCodes.LOCAL_FILES, e);
        }
    }

    /** The stored token if it is still valid; otherwise a {@link NotSignedInException} saying how to sign in. */
    public InstallerToken current() {
        Path file = file();
        if (!Files.isRegularFile(file)) {
            throw new NotSignedInException("you are not signed in (no " + file + ")",
                    "run './latchkey provision login --url URL --tenant TENANT --username EMAIL'");
        }
        InstallerToken token;
        try {
            token = mapper.readValue(file.toFile(), InstallerToken.class);
        } catch (IOException e) {
            throw new NotSignedInException("the stored sign-in " + file + " is unreadable: " + e.getMessage(),
                    "delete it and run './latchkey provision login' again");
        }
        if (token.isExpiredAt(clock.instant())) {
            Duration ago = Duration.between(token.expiresAt(), clock.instant());
            throw new NotSignedInException("your sign-in to tenant " + token.tenant() + " expired at " + token.expiresAt()
                    + " (" + ago.toMinutes() + " min ago)", "run './latchkey provision login --tenant " + token.tenant() + "' again");
        }
        return token;
    }

    /** Like {@link #current()}, and refuses a sign-in of another tenant than {@code tenant} (when given). */
    public InstallerToken currentFor(String tenant) {
        InstallerToken token = current();
        if (tenant != null && !tenant.equals(token.tenant())) {
            throw new NotSignedInException("you are signed in to tenant '" + token.tenant() + "', not '" + tenant + "'",
                    "run './latchkey provision login --tenant " + tenant + "' to work for " + tenant);
        }
        return token;
    }

    public boolean delete() {
        try {
            return Files.deleteIfExists(file());
        } catch (IOException e) {
            throw new ProvisioningException("cannot delete " + file() + ": " + e.getMessage(), "delete it by hand", ExitCodes.LOCAL_FILES, e);
        }
    }
}
