package io.latchkey.cloud.identity;

import java.time.Instant;
import java.util.List;

/**
 * A user of one tenant, as stored in that tenant's store (and nowhere else: it holds PII).
 *
 * @param passwordHash Argon2id PHC string; never returned by the API, never logged
 */
public record UserAccount(String id, String email, String name, List<String> roles, String passwordHash,
                          Instant createdAt) {

    public UserAccount {
        roles = List.copyOf(roles);
    }

    @Override
    public String toString() {
        return "UserAccount[id=" + id + ", roles=" + roles + "]";
    }
}
