package io.latchkey.cloud.identity;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * The platform bootstrap admin, from {@code latchkey.admin.user} / {@code latchkey.admin.password}
 * (or the environment variables {@code LATCHKEY_ADMIN_USER} / {@code LATCHKEY_ADMIN_PASSWORD}).
 * When no password is configured, one is generated at first start and printed once.
 */
@ConfigurationProperties("latchkey.admin")
public record AdminConfig(@Nullable String user, @Nullable String password) {
    public static final String DEFAULT_USER = "admin";

    public String userOrDefault() {
        return user == null || user.isBlank() ? DEFAULT_USER : user.strip();
    }

    @Override
    public String toString() {
        return "AdminConfig[user=" + user + ", password=" + (password == null ? "unset" : "***") + "]";
    }
}
