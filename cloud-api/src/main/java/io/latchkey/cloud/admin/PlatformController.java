package io.latchkey.cloud.admin;

import io.latchkey.cloud.audit.AuditEntry;
import io.latchkey.cloud.audit.Auditor;
import io.latchkey.cloud.http.Problem;
import io.latchkey.cloud.identity.Roles;
import io.latchkey.cloud.identity.UserAccount;
import io.latchkey.cloud.identity.UserDirectory;
import io.latchkey.cloud.identity.UserView;
import io.latchkey.cloud.tenant.Tenant;
import io.latchkey.cloud.tenant.TenantDirectory;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URI;
import java.util.List;
import java.util.Set;

/** Platform administration: tenants and their first admins. */
@Controller("/platform/tenants")
@Secured(Roles.PLATFORM_ADMIN)
@ExecuteOn(TaskExecutors.BLOCKING)
public class PlatformController {
    private final TenantDirectory tenants;
    private final UserDirectory users;
    private final Auditor auditor;

    @Serdeable
    public record NewTenant(String id, String name) {
    }

    @Serdeable
    public record NewAdmin(String email, String name, String password) {
        @Override
        public String toString() {
            return "NewAdmin[" + email + "]";
        }
    }

    public PlatformController(TenantDirectory tenants, UserDirectory users, Auditor auditor) {
        this.tenants = tenants;
        this.users = users;
        this.auditor = auditor;
    }

    @Operation(summary = "Create a tenant, with its own store, signing keys and command key")
    @ApiResponse(responseCode = "201", description = "created", useReturnTypeSchema = true,
            headers = @Header(name = "Location", description = "/platform/tenants/{id}", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "malformed JSON body, id not [a-z0-9][a-z0-9-]{1,62} or platform, name missing or too long",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "no valid platform-admin access token",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "the tenant exists",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post
    public HttpResponse<Tenant> create(@Body NewTenant body, Authentication caller) {
        Tenant tenant = tenants.create(body.id(), body.name(), created ->
                auditor.record(created.id(), Auditor.platformActor(caller.getName()), "tenant.create", "tenant/" + created.id(),
                        AuditEntry.OK));
        return HttpResponse.created(tenant, URI.create("/platform/tenants/" + tenant.id()));
    }

    @Operation(summary = "List tenants")
    @ApiResponse(responseCode = "200", description = "every tenant", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "no valid platform-admin access token",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get
    public List<Tenant> list() {
        return tenants.all();
    }

    @Operation(summary = "Create a tenant-admin user in a tenant")
    @ApiResponse(responseCode = "201", description = "created", useReturnTypeSchema = true,
            headers = @Header(name = "Location", description = "/t/{tenant}/users/{id}", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "malformed JSON body, invalid e-mail or name, password against the policy",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "no valid platform-admin access token",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "the e-mail is registered",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post("/{tenant}/admins")
    public HttpResponse<UserView> createAdmin(@PathVariable String tenant, @Body NewAdmin body, Authentication caller) {
        tenants.require(tenant);
        UserAccount user = users.register(tenant, body.email(), body.name(), body.password(), Set.of(Roles.TENANT_ADMIN));
        auditor.record(tenant, Auditor.platformActor(caller.getName()), "user.register", "user/" + user.id(), AuditEntry.OK);
        return HttpResponse.created(UserView.of(user), URI.create("/t/" + tenant + "/users/" + user.id()));
    }
}
