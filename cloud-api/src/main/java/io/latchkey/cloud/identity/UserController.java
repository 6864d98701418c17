package io.latchkey.cloud.identity;

import io.latchkey.cloud.ForbiddenException;
import io.latchkey.cloud.NotFoundException;
import io.latchkey.cloud.tenant.TenantDirectory;
import io.micronaut.core.annotation.Nullable;
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
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import java.net.URI;
import java.util.List;
import java.util.Set;

/** Self-registration and one's own profile. */
@Controller("/t/{tenant}/users")
@ExecuteOn(TaskExecutors.BLOCKING)
public class UserController {
    private final TenantDirectory tenants;
    private final UserDirectory users;

    @Serdeable
    public record Registration(String email, String name, String password, @Nullable List<String> roles) {
        @Override
        public String toString() {
            return "Registration[" + email + "]";
        }
    }

    public UserController(TenantDirectory tenants, UserDirectory users) {
        this.tenants = tenants;
        this.users = users;
    }

    @Operation(summary = "Register: anyone becomes a borrower; a tenant-admin may set roles")
    @Post
    @Secured(SecurityRule.IS_ANONYMOUS)
    public HttpResponse<UserView> register(@PathVariable String tenant, @Body Registration body,
                                           @Nullable Authentication caller) {
        tenants.require(tenant);
        Set<String> roles = Set.of(Roles.BORROWER);
        if (body.roles() != null && !body.roles().isEmpty()) {
            if (caller == null || !caller.getRoles().contains(Roles.TENANT_ADMIN)) {
                throw new ForbiddenException("only a tenant-admin may set roles");
            }
            roles = Set.copyOf(body.roles());
        }
        UserAccount user = users.register(tenant, body.email(), body.name(), body.password(), roles);
        return HttpResponse.created(UserView.of(user), URI.create("/t/" + tenant + "/users/" + user.id()));
    }

    @Operation(summary = "Your own profile")
    @Get("/me")
    @Secured({Roles.BORROWER, Roles.OWNER, Roles.OPERATOR, Roles.INSTALLER, Roles.TENANT_ADMIN})
    public UserView me(@PathVariable String tenant, Authentication caller) {
        return users.find(tenant, caller.getName()).map(UserView::of)
                .orElseThrow(() -> new NotFoundException("your account no longer exists"));
    }
}
