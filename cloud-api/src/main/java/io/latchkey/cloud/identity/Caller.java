package io.latchkey.cloud.identity;

import io.micronaut.security.authentication.Authentication;
import java.util.Objects;
import java.util.Set;

/**
 * Who is calling: the user id and the roles of an authenticated request, read once from its
 * {@link Authentication}. Controllers pass this down; the rules that depend on the caller read it
 * here instead of looking at role names themselves.
 */
public record Caller(String userId, Set<String> roles) {
    public Caller {
        Objects.requireNonNull(userId, "userId");
        roles = Set.copyOf(roles);
    }

    public static Caller of(Authentication authentication) {
        return new Caller(authentication.getName(), Set.copyOf(authentication.getRoles()));
    }

    public boolean has(String role) {
        return roles.contains(role);
    }

    /** Operators and tenant-admins act for the tenant: on every car, every booking, every account. */
    public boolean actsForTenant() {
        return has(Roles.OPERATOR) || has(Roles.TENANT_ADMIN);
    }

    public boolean isTenantAdmin() {
        return has(Roles.TENANT_ADMIN);
    }

    public boolean isOwner() {
        return has(Roles.OWNER);
    }

    public boolean is(String userId) {
        return this.userId.equals(userId);
    }
}
