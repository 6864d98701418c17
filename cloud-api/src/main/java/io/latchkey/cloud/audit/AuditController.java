package io.latchkey.cloud.audit;

import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.http.Problem;
import io.latchkey.cloud.identity.Roles;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;

/** The tenant's audit trail, for its tenant-admins: recent records, and a check of the whole chain. */
@Controller("/t/{tenant}/audit")
@Secured(Roles.TENANT_ADMIN)
@ExecuteOn(TaskExecutors.BLOCKING)
public class AuditController {
    static final int MAX_RECORDS = 1000;

    private final HashChainedAuditLog audit;

    public AuditController(HashChainedAuditLog audit) {
        this.audit = audit;
    }

    @Operation(summary = "Recompute the hash chain of the tenant's audit trail: OK, or the first broken record")
    @ApiResponse(responseCode = "200", description = "OK, or the first broken record", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it (tenant-admins only)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get("/verify")
    public ChainVerification verify(@PathVariable String tenant) {
        return audit.verify(tenant);
    }

    @Operation(summary = "The most recent audit records, oldest first")
    @ApiResponse(responseCode = "200", description = "the records", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "limit not 1..1000",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it (tenant-admins only)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get
    public List<AuditRecord> recent(@PathVariable String tenant, @QueryValue(defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_RECORDS) {
            throw new InvalidRequestException("limit must be 1.." + MAX_RECORDS);
        }
        return audit.recent(tenant, limit);
    }
}
