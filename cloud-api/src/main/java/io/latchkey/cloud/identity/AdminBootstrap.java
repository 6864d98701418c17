package io.latchkey.cloud.identity;

import io.latchkey.cloud.secrets.SecretStore;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.annotation.PostConstruct;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Makes sure a platform admin exists at start-up. A configured password ({@code LATCHKEY_ADMIN_PASSWORD}
 * or {@code latchkey.admin.password}) is applied; otherwise, on the very first start, a random one is
 * generated, only its hash is stored, and it is printed once to standard output. It is never logged.
 */
@Context
public class AdminBootstrap {
    private final AdminConfig config;
    private final PlatformAdmins admins;
    private final SigningKeys signingKeys;
    private final SecureRandom random;
    private final PrintStream out;

    public AdminBootstrap(AdminConfig config, PlatformAdmins admins, SigningKeys signingKeys, SecureRandom random) {
        this.config = config;
        this.admins = admins;
        this.signingKeys = signingKeys;
        this.random = random;
        this.out = System.out;
    }

    @PostConstruct
    void bootstrap() {
        signingKeys.ensure(SecretStore.PLATFORM);
        String user = config.userOrDefault();
        if (!user.matches("[A-Za-z0-9._@+-]{1,100}")) {
            throw new ConfigurationException("latchkey.admin.user (LATCHKEY_ADMIN_USER) must be 1-100 letters, digits or ._@+-");
        }
        if (config.password() != null && !config.password().isEmpty()) {
            int length = config.password().codePointCount(0, config.password().length());
            if (length < PasswordPolicy.MIN_LENGTH || length > PasswordPolicy.MAX_LENGTH) {
                throw new ConfigurationException("latchkey.admin.password (LATCHKEY_ADMIN_PASSWORD) must be "
                        + PasswordPolicy.MIN_LENGTH + " to " + PasswordPolicy.MAX_LENGTH + " characters");
            }
            admins.put(user, config.password());
            return;
        }
        if (!admins.any()) {
            byte[] bytes = new byte[24];
            random.nextBytes(bytes);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            admins.put(user, password);
            out.println("Latchkey platform admin created. User: " + user + "  Password: " + password);
            out.println("This password is shown only once. Set LATCHKEY_ADMIN_PASSWORD to choose your own.");
            out.flush();
        }
    }
}
