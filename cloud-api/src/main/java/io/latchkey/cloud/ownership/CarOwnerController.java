package io.latchkey.cloud.ownership;

import io.latchkey.cloud.account.AccountAudit;
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
