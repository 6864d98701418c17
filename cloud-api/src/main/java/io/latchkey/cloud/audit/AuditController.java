package io.latchkey.cloud.audit;

import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.identity.Roles;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
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
    @Get("/verify")
    public ChainVerification verify(@PathVariable String tenant) {
        return audit.verify(tenant);
    }

    @Operation(summary = "The most recent audit records, oldest first")
    @Get
    public List<AuditRecord> recent(@PathVariable String tenant, @QueryValue(defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_RECORDS) {
            throw new InvalidRequestException("limit must be 1.." + MAX_RECORDS);
        }
        return audit.recent(tenant, limit);
    }
}
