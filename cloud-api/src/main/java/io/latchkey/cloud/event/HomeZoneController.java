package io.latchkey.cloud.event;

import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.NotFoundException;
import io.latchkey.cloud.audit.AuditEntry;
import io.latchkey.cloud.audit.Auditor;
import io.latchkey.cloud.car.Car;
import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.http.Problem;
import io.latchkey.cloud.identity.Roles;
import io.latchkey.protocol.command.HomeZone;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
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

/**
 * A car's home zone ({@link HomeZone}, the one the end-of-rental check signs into {@code END_RENTAL}): leaving it
 * raises {@code LEFT_HOME_ZONE} (once per exit).
 */
@Controller("/t/{tenant}/cars/{carId}/home-zone")
@ExecuteOn(TaskExecutors.BLOCKING)
public class HomeZoneController {
    private final CarRegistry cars;
    private final Auditor auditor;

    public static final double MIN_RADIUS_M = 50;

    @Serdeable
    public record NewHomeZone(@Nullable Double lat, @Nullable Double lon, @Nullable Double radiusM) {
    }

    /** A zone as the API shows it. */
    @Serdeable
    public record Zone(double lat, double lon, double radiusM) {
        static Zone of(HomeZone zone) {
            return new Zone(zone.lat(), zone.lon(), zone.radiusM());
        }
    }

    public HomeZoneController(CarRegistry cars, Auditor auditor) {
        this.cars = cars;
        this.auditor = auditor;
    }

    @Operation(summary = "The car's home zone")
    @ApiResponse(responseCode = "200", description = "the zone", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "no valid access token",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "not an operator or tenant-admin of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "no such car, or the car has no home zone",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get
    @Secured({Roles.OPERATOR, Roles.TENANT_ADMIN})
    public Zone get(@PathVariable String tenant, @PathVariable String carId) {
        Car car = cars.require(tenant, carId);
        if (car.homeZone() == null) {
            throw new NotFoundException("car " + carId + " has no home zone");
        }
        return Zone.of(car.homeZone());
    }

    @Operation(summary = "Set the car's home zone: a circle of radiusM metres (50..50000) around lat/lon")
    @ApiResponse(responseCode = "200", description = "the zone as stored", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "lat, lon or radiusM missing or out of range",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "no valid access token",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "not an operator or tenant-admin of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "no such car",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Put
    @Secured({Roles.OPERATOR, Roles.TENANT_ADMIN})
    public Zone set(@PathVariable String tenant, @PathVariable String carId, @Body NewHomeZone body, Authentication caller) {
        cars.require(tenant, carId);
        HomeZone zone = zoneOf(body);
        Car car = cars.setHomeZone(tenant, carId, zone);
        auditor.record(tenant, caller.getName(), "car.home-zone.set", "car/" + carId, AuditEntry.OK);
        return Zone.of(car.homeZone());
    }

    /**
     * @throws InvalidRequestException naming the field, for a latitude outside [-90, 90], a longitude outside
     *                                 [-180, 180] or a radius outside [{@value #MIN_RADIUS_M}, {@link HomeZone#MAX_RADIUS_M}] m
     */
    static HomeZone zoneOf(NewHomeZone body) {
        Double lat = body.lat();
        Double lon = body.lon();
        Double radiusM = body.radiusM();
        if (lat == null || !Double.isFinite(lat) || lat < -90 || lat > 90) {
            throw new InvalidRequestException("lat is required, degrees between -90 and 90");
        }
        if (lon == null || !Double.isFinite(lon) || lon < -180 || lon > 180) {
            throw new InvalidRequestException("lon is required, degrees between -180 and 180");
        }
        if (radiusM == null || !Double.isFinite(radiusM) || radiusM < MIN_RADIUS_M || radiusM > HomeZone.MAX_RADIUS_M) {
            throw new InvalidRequestException("radiusM is required, metres between " + (long) MIN_RADIUS_M + " and "
                    + (long) HomeZone.MAX_RADIUS_M);
        }
        return new HomeZone(lat, lon, radiusM);
    }

    @Operation(summary = "Remove the car's home zone (nothing happens if it has none)")
    @ApiResponse(responseCode = "204", description = "the car has no home zone now")
    @ApiResponse(responseCode = "401", description = "no valid access token",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "not an operator or tenant-admin of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "no such car",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Delete
    @Secured({Roles.OPERATOR, Roles.TENANT_ADMIN})
    public HttpResponse<Void> remove(@PathVariable String tenant, @PathVariable String carId, Authentication caller) {
        cars.setHomeZone(tenant, carId, null);
        auditor.record(tenant, caller.getName(), "car.home-zone.remove", "car/" + carId, AuditEntry.OK);
        return HttpResponse.noContent();
    }
}
