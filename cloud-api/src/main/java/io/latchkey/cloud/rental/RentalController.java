package io.latchkey.cloud.rental;

import io.latchkey.cloud.http.Problem;
import io.latchkey.cloud.identity.Caller;
import io.latchkey.cloud.identity.Roles;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/**
 * {@code POST /t/{tenant}/bookings/{id}/end}: the car checks itself and, if all holds, locks itself and the rental
 * ends. A failed check is an answer, not an error (200 {@code ended:false} with the car's reasons; nothing changed).
 */
@Controller("/t/{tenant}/bookings")
@ExecuteOn(TaskExecutors.BLOCKING)
public class RentalController {
    private final Rentals rentals;

    public RentalController(Rentals rentals) {
        this.rentals = rentals;
    }

    @Operation(summary = "End an ACTIVE rental (its borrower, an operator or a tenant-admin): the car checks doors, ignition, "
            + "standstill, key and home zone from its own signals; if all hold it locks itself and the booking is ENDED, "
            + "with a receipt (also mailed to the borrower); otherwise ended:false with the failed checks and nothing changes")
    @ApiResponse(responseCode = "200", description = "the car answered: ended:true with the booking (ENDED) and the receipt, "
            + "or ended:false with the failed checks (nothing changed)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Rentals.EndResult.class)))
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it, not a booking of yours (also when it does not exist), or an owner who is not its borrower",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown booking (operators and tenant-admins), or an id that cannot exist",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "the booking is not ACTIVE (not started, already ended, cancelled, lapsed)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "502", description = "the car refused END_RENTAL for another reason than its checks (signature, expiry, a fault); nothing changed",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "503", description = "no broker connection, or the broker did not take the command: nothing was sent, retry",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "504", description = "the car did not answer in time (offline); the command expired unexecuted, nothing changed",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post("/{id}/end")
    @Secured({Roles.BORROWER, Roles.OPERATOR, Roles.TENANT_ADMIN})
    public HttpResponse<?> end(@PathVariable String tenant, @PathVariable String id, Authentication caller) {
        try {
            return HttpResponse.ok(rentals.end(tenant, id, Caller.of(caller)));
        } catch (Rentals.CarRefusedException e) {
            return HttpResponse.status(HttpStatus.BAD_GATEWAY).contentType(Problem.MEDIA_TYPE)
                    .body(Problem.of(HttpStatus.BAD_GATEWAY, e.getMessage()));
        }
    }
}
