package io.latchkey.cloud.account;

import io.latchkey.cloud.ConflictException;
import io.latchkey.cloud.ForbiddenException;
import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.identity.Caller;
import io.latchkey.cloud.identity.Roles;
import io.latchkey.cloud.identity.UserAccount;
import io.latchkey.cloud.identity.UserDirectory;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tenant-admin sets the roles of an account. The rules:
 * <ul>
 *   <li>only a tenant-admin changes roles, and may grant any tenant role ({@link Roles#TENANT_ROLES}), tenant-admin
 *       included (as at registration);</li>
 *   <li>the tenant keeps at least one usable tenant-admin (not terminated, not locked for good): the last one cannot
 *       give the role up (409); the platform admin can always add a tenant-admin ({@code POST /platform/tenants/{t}/admins});</li>
 *   <li>a terminated account keeps the roles it had (409);</li>
 *   <li>a role taken away ends the account's sessions at once (its access tokens carry the roles they were issued
 *       with); a role added applies to browser sessions at once and to tokens from the next sign-in or refresh.</li>
 * </ul>
 * Every change is audited {@code user.roles.change}, subject {@code user/{id} roles=a,b}, also one that changes
 * nothing ({@code UNCHANGED}) and the refusal of the last tenant-admin ({@code REFUSED}).
 */
@Singleton
public class RoleChanges {
    private final UserDirectory users;
    private final AccountLocks locks;
    private final AccountAudit audit;
    /** One change at a time per tenant in this process, so two tenant-admins cannot demote each other at once. */
    private final Map<String, Object> tenantLocks = new ConcurrentHashMap<>();

    public RoleChanges(UserDirectory users, AccountLocks locks, AccountAudit audit) {
        this.users = users;
        this.locks = locks;
        this.audit = audit;
    }

    /**
     * @return the account with its new roles
     * @throws InvalidRequestException no roles, or one that is not a tenant role
     * @throws ForbiddenException      the caller is not a tenant-admin
     * @throws io.latchkey.cloud.NotFoundException unknown user
     * @throws ConflictException       a terminated account, or the last usable tenant-admin losing the role
     */
    public UserAccount set(String tenant, Caller caller, String userId, List<String> requested) {
        if (requested == null || requested.isEmpty() || requested.stream().anyMatch(r -> r == null)) {
            throw new InvalidRequestException("roles must be a non-empty list of " + new TreeSet<>(Roles.TENANT_ROLES));
        }
        TreeSet<String> roles = new TreeSet<>(requested);
        if (!Roles.TENANT_ROLES.containsAll(roles)) {
            throw new InvalidRequestException("roles must be among " + new TreeSet<>(Roles.TENANT_ROLES));
        }
        if (!caller.isTenantAdmin()) {
            throw new ForbiddenException("only a tenant-admin may change roles");
        }
        UserAccount user = users.require(tenant, userId);
        String subject = AccountAudit.user(user.id()) + " roles=" + String.join(",", roles);
        if (user.terminated()) {
            throw new ConflictException("user " + user.id() + " is terminated");
        }
        synchronized (tenantLocks.computeIfAbsent(tenant, t -> new Object())) {
            UserAccount current = users.require(tenant, userId);
            if (new TreeSet<>(current.roles()).equals(roles)) {
                audit.record(tenant, caller.userId(), "user.roles.change", subject, "UNCHANGED");
                return current;
            }
            if (current.roles().contains(Roles.TENANT_ADMIN) && !roles.contains(Roles.TENANT_ADMIN)
                    && !otherUsableTenantAdmin(tenant, current.id())) {
                audit.record(tenant, caller.userId(), "user.roles.change", subject, "REFUSED");
                throw new ConflictException("the tenant's last usable tenant-admin cannot give up the role: "
                        + "make another account tenant-admin first");
            }
            boolean removed = !roles.containsAll(current.roles());
            UserAccount changed = users.update(tenant, current.id(), u -> u.withRoles(List.copyOf(roles)));
            if (removed) {
                locks.revokeSessions(tenant, current.id());
            }
            audit.record(tenant, caller.userId(), "user.roles.change", subject, "OK");
            return changed;
        }
    }

    private boolean otherUsableTenantAdmin(String tenant, String userId) {
        return users.all(tenant).stream().anyMatch(u -> !u.id().equals(userId) && !u.terminated()
                && u.roles().contains(Roles.TENANT_ADMIN) && !locks.of(tenant, u.id()).permanentlyLocked());
    }
}
