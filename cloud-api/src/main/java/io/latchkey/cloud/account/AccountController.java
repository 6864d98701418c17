package io.latchkey.cloud.account;

import io.latchkey.cloud.ForbiddenException;
import io.latchkey.cloud.identity.Caller;
import io.latchkey.cloud.identity.Roles;
import io.latchkey.cloud.identity.SecurityCounters;
import io.latchkey.cloud.identity.UserAccount;
import io.latchkey.cloud.identity.UserDirectory;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;

/** Terminating accounts, and operators locking and unlocking them. */
@Controller("/t/{tenant}/users")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AccountController {
    private final UserDirectory users;
    private final Termination termination;
    private final AccountLocks locks;
    private final AccountAudit audit;
    private final SecurityCounters counters;

    public AccountController(UserDirectory users, Termination termination, AccountLocks locks, AccountAudit audit,
                             SecurityCounters counters) {
        this.users = users;
        this.termination = termination;
        this.locks = locks;
        this.audit = audit;
        this.counters = counters;
    }

    @Operation(summary = "Terminate your own account: disabled for good, personal data erased")
    @Delete("/me")
    @Secured({Roles.BORROWER, Roles.OWNER, Roles.OPERATOR, Roles.INSTALLER, Roles.TENANT_ADMIN})
    public HttpResponse<Void> terminateMe(@PathVariable String tenant, Authentication caller) {
        termination.terminate(tenant, caller.getName(), caller.getName());
        return HttpResponse.noContent();
    }

    @Operation(summary = "Terminate a user's account on their request (tenant-admin)")
    @Delete("/{userId}")
    @Secured(Roles.TENANT_ADMIN)
    public HttpResponse<Void> terminate(@PathVariable String tenant, @PathVariable String userId, Authentication caller) {
        termination.terminate(tenant, userId, caller.getName());
        return HttpResponse.noContent();
    }

    @Operation(summary = "Lock an account permanently until unlocked; its sessions end")
    @Post("/{userId}/lock")
    @Secured({Roles.OPERATOR, Roles.TENANT_ADMIN})
    public HttpResponse<Void> lock(@PathVariable String tenant, @PathVariable String userId, Authentication caller) {
        UserAccount user = target(tenant, userId, Caller.of(caller));
        locks.lockPermanently(tenant, user.id(), AccountLocks.BY_OPERATOR, caller.getName());
        counters.lockout(tenant);
        audit.record(tenant, caller.getName(), "user.lock", AccountAudit.user(user.id()), "LOCKED_PERMANENTLY");
        return HttpResponse.noContent();
    }

    @Operation(summary = "Unlock an account (lifts permanent and temporary lockouts)")
    @Post("/{userId}/unlock")
    @Secured({Roles.OPERATOR, Roles.TENANT_ADMIN})
    public HttpResponse<Void> unlock(@PathVariable String tenant, @PathVariable String userId, Authentication caller) {
        UserAccount user = target(tenant, userId, Caller.of(caller));
        locks.unlock(tenant, user.id());
        audit.record(tenant, caller.getName(), "user.unlock", AccountAudit.user(user.id()), "OK");
        return HttpResponse.noContent();
    }

    /** Nobody locks themselves; only a tenant-admin locks or unlocks a tenant-admin; a terminated account stays so. */
    private UserAccount target(String tenant, String userId, Caller caller) {
        UserAccount user = users.require(tenant, userId);
        if (caller.is(user.id())) {
            throw new ForbiddenException("you cannot lock or unlock your own account");
        }
        if (user.roles().contains(Roles.TENANT_ADMIN) && !caller.isTenantAdmin()) {
            throw new ForbiddenException("only a tenant-admin may lock or unlock a tenant-admin");
        }
        if (user.terminated()) {
            throw new io.latchkey.cloud.ConflictException("user " + userId + " is terminated");
        }
        return user;
    }
}
