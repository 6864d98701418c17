package io.latchkey.cloud.admin;

import io.latchkey.cloud.audit.AuditEntry;
import io.latchkey.cloud.audit.Auditor;
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
    @Post
    public HttpResponse<Tenant> create(@Body NewTenant body, Authentication caller) {
        Tenant tenant = tenants.create(body.id(), body.name(), created ->
                auditor.record(created.id(), Auditor.platformActor(caller.getName()), "tenant.create", "tenant/" + created.id(),
                        AuditEntry.OK));
        return HttpResponse.created(tenant, URI.create("/platform/tenants/" + tenant.id()));
    }

    @Operation(summary = "List tenants")
    @Get
    public List<Tenant> list() {
        return tenants.all();
    }

    @Operation(summary = "Create a tenant-admin user in a tenant")
    @Post("/{tenant}/admins")
    public HttpResponse<UserView> createAdmin(@PathVariable String tenant, @Body NewAdmin body, Authentication caller) {
        tenants.require(tenant);
        UserAccount user = users.register(tenant, body.email(), body.name(), body.password(), Set.of(Roles.TENANT_ADMIN));
        auditor.record(tenant, Auditor.platformActor(caller.getName()), "user.register", "user/" + user.id(), AuditEntry.OK);
        return HttpResponse.created(UserView.of(user), URI.create("/t/" + tenant + "/users/" + user.id()));
    }
}
