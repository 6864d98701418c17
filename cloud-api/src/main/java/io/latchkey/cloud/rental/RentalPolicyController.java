package io.latchkey.cloud.rental;

import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.audit.AuditEntry;
import io.latchkey.cloud.audit.Auditor;
import io.latchkey.cloud.identity.Roles;
import io.latchkey.cloud.http.Problem;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.Map;

/** The tenant's rental policy: read by operators and tenant-admins, set by tenant-admins (audited). */
@Controller("/t/{tenant}/policy")
@ExecuteOn(TaskExecutors.BLOCKING)
public class RentalPolicyController {
    private final RentalPolicies policies;
    private final Immobiliser immobiliser;
    private final Auditor auditor;

    public RentalPolicyController(RentalPolicies policies, Immobiliser immobiliser, Auditor auditor) {
        this.policies = policies;
        this.immobiliser = immobiliser;
        this.auditor = auditor;
    }

    @Operation(summary = "The tenant's rental policy (immobiliseWhenIdle; changedAt and changedBy once set)")
    @ApiResponse(responseCode = "200", description = "the policy", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "neither operator nor tenant-admin of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get
    @Secured({Roles.OPERATOR, Roles.TENANT_ADMIN})
    public RentalPolicy get(@PathVariable String tenant) {
        return policies.get(tenant);
    }

    @Operation(summary = "Set the tenant's rental policy: immobiliseWhenIdle true immobilises cars while no rental of "
            + "them is active (MOBILISE when one starts, IMMOBILISE when it ends; never a moving car)")
    @ApiResponse(responseCode = "200", description = "the policy now in force", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "malformed JSON body, immobiliseWhenIdle missing or not a boolean, or another field",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "not a tenant-admin of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Put
    @Secured(Roles.TENANT_ADMIN)
    public RentalPolicy put(@PathVariable String tenant, @Body Map<String, Object> body, Authentication caller) {
        // read as a map: a typed Boolean would take "soon" for false
        if (body == null || !(body.get("immobiliseWhenIdle") instanceof Boolean value)) {
            throw new InvalidRequestException("immobiliseWhenIdle (true or false) is required");
        }
        if (body.size() > 1) {
            throw new InvalidRequestException("unknown field(s): only immobiliseWhenIdle may be set");
        }
        boolean on = value;
        RentalPolicy before = policies.set(tenant, on, caller.getName());
        auditor.record(tenant, caller.getName(), "tenant.policy.change", "policy immobiliseWhenIdle=" + on, AuditEntry.OK);
        if (before.immobiliseWhenIdle() != on) {
            immobiliser.policyChanged(tenant, on);
        }
        return policies.get(tenant);
    }
}
