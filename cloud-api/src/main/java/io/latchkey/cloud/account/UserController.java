package io.latchkey.cloud.account;

import io.latchkey.cloud.ForbiddenException;
import io.latchkey.cloud.NotFoundException;
import io.latchkey.cloud.http.Problem;
import io.latchkey.cloud.identity.Caller;
import io.latchkey.cloud.identity.Roles;
import io.latchkey.cloud.identity.UserAccount;
import io.latchkey.cloud.identity.UserDirectory;
import io.latchkey.cloud.identity.UserView;
import io.latchkey.cloud.tenant.TenantDirectory;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URI;
import java.util.List;
import java.util.Set;

/** Self-registration, one's own profile, and other users' profiles as far as the caller may see them. */
@Controller("/t/{tenant}/users")
@ExecuteOn(TaskExecutors.BLOCKING)
public class UserController {
    private final TenantDirectory tenants;
    private final UserDirectory users;
    private final Profiles profiles;
    private final ProfileVisibility visibility;
    private final AccountAudit audit;
    private final UserList list;

    @Serdeable
    public record Registration(String email, String name, String password, @Nullable List<String> roles) {
        @Override
        public String toString() {
            return "Registration";
        }
    }

    public UserController(TenantDirectory tenants, UserDirectory users, Profiles profiles, ProfileVisibility visibility,
                          AccountAudit audit, UserList list) {
        this.list = list;
        this.tenants = tenants;
        this.users = users;
        this.profiles = profiles;
        this.visibility = visibility;
        this.audit = audit;
    }

    @Operation(summary = "Register: anyone becomes a borrower; a tenant-admin may set roles")
    @ApiResponse(responseCode = "201", description = "registered", useReturnTypeSchema = true,
            headers = @Header(name = "Location", description = "/t/{tenant}/users/{id}", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "malformed JSON body, invalid e-mail or name, password against the policy, unknown role",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "a bearer token was sent and does not verify (send none here)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "roles set by a caller who is not a tenant-admin",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "the e-mail is registered",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post
    @Secured(SecurityRule.IS_ANONYMOUS)
    public HttpResponse<UserView> register(@PathVariable String tenant, @Body Registration body,
                                           @Nullable Authentication caller) {
        tenants.require(tenant);
        Set<String> roles = Set.of(Roles.BORROWER);
        if (body.roles() != null && !body.roles().isEmpty()) {
            if (caller == null || !Caller.of(caller).isTenantAdmin()) {
                throw new ForbiddenException("only a tenant-admin may set roles");
            }
            roles = Set.copyOf(body.roles());
        }
        UserAccount user = users.register(tenant, body.email(), body.name(), body.password(), roles);
        audit.record(tenant, caller == null ? user.id() : caller.getName(), "user.register", AccountAudit.user(user.id()),
                "OK");
        return HttpResponse.created(UserView.of(user), URI.create("/t/" + tenant + "/users/" + user.id()));
    }

    @Operation(summary = "The tenant's users for operators: id, display name, roles and state only (no e-mail, no full name), "
            + "filtered by role, state (ACTIVE, LOCKED, LOCKED_PERMANENTLY, TERMINATED) and q (id prefix, part of the name, "
            + "or the whole e-mail), sorted by display name")
    @ApiResponse(responseCode = "200", description = "one page of users and the number of matches", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "unknown role or state, page below 0, size not 1..200",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "neither operator nor tenant-admin of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get
    @Secured({Roles.OPERATOR, Roles.TENANT_ADMIN})
    public UserList.Page list(@PathVariable String tenant, @Nullable @QueryValue String role,
                              @Nullable @QueryValue String state, @Nullable @QueryValue String q,
                              @Nullable @QueryValue String page, @Nullable @QueryValue String size) {
        return list.page(tenant, role, state, q, number("page", page, 0), number("size", size, 50));
    }

    private static int number(String name, @Nullable String value, int fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new io.latchkey.cloud.InvalidRequestException(name + " must be a whole number");
        }
    }

    @Operation(summary = "Your own profile, with all your personal data")
    @ApiResponse(responseCode = "200", description = "your profile", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get("/me")
    @Secured({Roles.BORROWER, Roles.OWNER, Roles.OPERATOR, Roles.INSTALLER, Roles.TENANT_ADMIN})
    public UserProfileView me(@PathVariable String tenant, Authentication caller) {
        UserAccount user = users.find(tenant, caller.getName())
                .orElseThrow(() -> new NotFoundException("your account no longer exists"));
        return visibility.own(tenant, user);
    }

    @Operation(summary = "Change your name or optional personal data (phone, driverLicence, dateOfBirth; \"\" erases)")
    @ApiResponse(responseCode = "200", description = "your changed profile", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "malformed JSON body, invalid name, phone, driverLicence or dateOfBirth",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Patch("/me")
    @Secured({Roles.BORROWER, Roles.OWNER, Roles.OPERATOR, Roles.INSTALLER, Roles.TENANT_ADMIN})
    public UserProfileView changeMe(@PathVariable String tenant, @Body ProfileChange change, Authentication caller) {
        return visibility.own(tenant, profiles.change(tenant, caller.getName(), change));
    }

    @Operation(summary = "A user's profile, sanitised for the caller (see docs/security.md, who sees what)")
    @ApiResponse(responseCode = "200", description = "the profile, sanitised for the caller", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown user",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get("/{userId}")
    @Secured({Roles.BORROWER, Roles.OWNER, Roles.OPERATOR, Roles.INSTALLER, Roles.TENANT_ADMIN})
    public UserProfileView get(@PathVariable String tenant, @PathVariable String userId, Authentication caller) {
        return visibility.view(tenant, Caller.of(caller), users.require(tenant, userId));
    }
}
