package io.latchkey.cloud.account;

import io.latchkey.cloud.ForbiddenException;
import io.latchkey.cloud.http.Problem;
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
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.Body;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/** Terminating accounts, and operators locking and unlocking them. */
@Controller("/t/{tenant}/users")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AccountController {
    private final UserDirectory users;
    private final Termination termination;
    private final AccountLocks locks;
    private final AccountAudit audit;
    private final SecurityCounters counters;
    private final RoleChanges roleChanges;
    private final ProfileVisibility visibility;

    /** The roles an account is to hold from now on (all of them, not a difference). */
    @Serdeable
    public record RoleSet(@Nullable List<String> roles) {
    }

    public AccountController(UserDirectory users, Termination termination, AccountLocks locks, AccountAudit audit,
                             SecurityCounters counters, RoleChanges roleChanges, ProfileVisibility visibility) {
        this.users = users;
        this.termination = termination;
        this.locks = locks;
        this.audit = audit;
        this.counters = counters;
        this.roleChanges = roleChanges;
        this.visibility = visibility;
    }

    @Operation(summary = "Set an account's roles (tenant-admin): a role taken away ends its sessions; the last usable tenant-admin cannot give up the role")
    @ApiResponse(responseCode = "200", description = "the profile with its new roles, as the caller may see it", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "malformed JSON body, roles missing, empty or not tenant roles",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it (tenant-admins only)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown user",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "the account is terminated, or it is the tenant's last usable tenant-admin and the role would go",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Put("/{userId}/roles")
    @Secured(Roles.TENANT_ADMIN)
    public UserProfileView setRoles(@PathVariable String tenant, @PathVariable String userId, @Body RoleSet body,
                                    Authentication caller) {
        Caller who = Caller.of(caller);
        users.require(tenant, userId);
        UserAccount changed = roleChanges.set(tenant, who, userId, body.roles());
        return visibility.view(tenant, who, changed);
    }

    @Operation(summary = "Terminate your own account: disabled for good, personal data erased")
    @ApiResponse(responseCode = "204", description = "terminated (also when it already was)")
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Delete("/me")
    @Secured({Roles.BORROWER, Roles.OWNER, Roles.OPERATOR, Roles.INSTALLER, Roles.TENANT_ADMIN})
    public HttpResponse<Void> terminateMe(@PathVariable String tenant, Authentication caller) {
        termination.terminate(tenant, caller.getName(), caller.getName());
        return HttpResponse.noContent();
    }

    @Operation(summary = "Terminate a user's account on their request (tenant-admin)")
    @ApiResponse(responseCode = "204", description = "terminated (also when it already was)")
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it (tenant-admins only)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown user",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Delete("/{userId}")
    @Secured(Roles.TENANT_ADMIN)
    public HttpResponse<Void> terminate(@PathVariable String tenant, @PathVariable String userId, Authentication caller) {
        termination.terminate(tenant, userId, caller.getName());
        return HttpResponse.noContent();
    }

    @Operation(summary = "Lock an account permanently until unlocked; its sessions end")
    @ApiResponse(responseCode = "204", description = "locked")
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it, your own account, or a tenant-admin locked by an operator",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown user",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "the account is terminated",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
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
    @ApiResponse(responseCode = "204", description = "unlocked")
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it, your own account, or a tenant-admin unlocked by an operator",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown user",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "the account is terminated",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
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
