package io.latchkey.cloud.ownership;

import io.latchkey.cloud.account.AccountAudit;
import io.latchkey.cloud.http.Problem;
import io.latchkey.cloud.identity.Roles;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/** Operators record who owns a car. */
@Controller("/t/{tenant}/cars/{carId}/owner")
@ExecuteOn(TaskExecutors.BLOCKING)
public class CarOwnerController {
    private final CarOwners owners;
    private final AccountAudit audit;

    @Serdeable
    public record NewOwner(String userId) {
    }

    @Serdeable
    public record OwnerView(String carId, String ownerId) {
    }

    public CarOwnerController(CarOwners owners, AccountAudit audit) {
        this.owners = owners;
        this.audit = audit;
    }

    @Operation(summary = "Set the car's owner (a user with the owner role)")
    @ApiResponse(responseCode = "200", description = "the car and its owner", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "malformed JSON body, userId missing, or the user does not hold the owner role",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown car or user",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Put
    @Secured({Roles.OPERATOR, Roles.TENANT_ADMIN})
    public OwnerView assign(@PathVariable String tenant, @PathVariable String carId, @Body NewOwner body,
                            Authentication caller) {
        if (body.userId() == null) {
            throw new io.latchkey.cloud.InvalidRequestException("userId is required");
        }
        CarOwners.CarOwner owner = owners.assign(tenant, carId, body.userId());
        audit.record(tenant, caller.getName(), "car.owner.assign", "car/" + carId, "OK");
        return new OwnerView(owner.carId(), owner.ownerId());
    }
}
