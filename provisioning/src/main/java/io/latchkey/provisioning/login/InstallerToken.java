package io.latchkey.provisioning.login;

import java.time.Instant;
import java.util.List;

/**
 * A stored installer sign-in: which backend and tenant it is for, who signed in, the access token and
 * when it expires. No refresh token is kept: an installer sign-in is meant to be short-lived.
 */
public record InstallerToken(String url, String tenant, String username, String accessToken, Instant expiresAt, List<String> roles) {
    public InstallerToken {
        roles = roles == null ? List.of() : List.copyOf(roles);
    }

    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
