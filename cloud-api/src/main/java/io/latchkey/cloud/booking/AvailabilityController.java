package io.latchkey.cloud.booking;

import io.latchkey.cloud.http.Problem;
import io.latchkey.cloud.identity.Roles;
import io.micronaut.core.annotation.Nullable;
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

/** Cars free for a window, for a borrower choosing one ({@link Availability}). */
@Controller("/t/{tenant}/cars/available")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AvailabilityController {
    private final Availability availability;

    public AvailabilityController(Availability availability) {
        this.availability = availability;
    }

    @Operation(summary = "Cars no confirmed or active booking holds for any part of [from, to) and whose device can be reached; with lat/lon their distance, nearest first, and with radiusM only those within it")
    @ApiResponse(responseCode = "200", description = "the free cars with their last known position", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "from/to missing, malformed, to not after from, or outside the booking limits; lat/lon half given or out of range; radiusM out of 1..100000 or without a position",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "a role that does not book or manage cars",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get
    @Secured({Roles.BORROWER, Roles.OWNER, Roles.OPERATOR, Roles.TENANT_ADMIN})
    public List<Availability.AvailableCar> available(@PathVariable String tenant, @QueryValue @Nullable String from,
                                                     @QueryValue @Nullable String to, @QueryValue @Nullable Double lat,
                                                     @QueryValue @Nullable Double lon, @QueryValue @Nullable Integer radiusM) {
        return availability.find(tenant, from, to, lat, lon, radiusM);
    }
}
