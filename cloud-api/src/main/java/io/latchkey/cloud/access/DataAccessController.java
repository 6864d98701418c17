package io.latchkey.cloud.access;

import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.audit.AuditEntry;
import io.latchkey.cloud.audit.Auditor;
import io.latchkey.cloud.http.Problem;
import io.latchkey.cloud.identity.Roles;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Duration;

/** A tenant-admin asks for read-only access to the tenant's own data for 1 to 7 days. */
@Controller("/t/{tenant}/data-access")
@Secured(Roles.TENANT_ADMIN)
@ExecuteOn(TaskExecutors.BLOCKING)
public class DataAccessController {
    private final DataAccessGrants grants;
    private final Auditor auditor;

    @Serdeable
    public record DataAccessRequest(Integer days) {
    }

    public DataAccessController(DataAccessGrants grants, Auditor auditor) {
        this.grants = grants;
        this.auditor = auditor;
    }

    @Operation(summary = "Read-only, expiring access to the tenant's data: an Azure SAS (read, list) or a signed export link")
    @ApiResponse(responseCode = "201", description = "granted (no Location: the grant is the URL in the body)", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "malformed JSON body, days not 1..7",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it (tenant-admins only)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post
    public HttpResponse<DataAccessGrant> grant(@PathVariable String tenant, @Body DataAccessRequest body, Authentication caller) {
        Integer days = body.days();
        if (days == null || days < 1 || days > DataAccessGrants.MAX_VALIDITY.toDays()) {
            throw new InvalidRequestException("days must be 1..7");
        }
        DataAccessGrant grant = grants.grant(tenant, Duration.ofDays(days));
        auditor.record(tenant, caller.getName(), "data-access.grant", "tenant/" + tenant + " read-only " + days + "d",
                AuditEntry.OK);
        return HttpResponse.created(grant);
    }
}
