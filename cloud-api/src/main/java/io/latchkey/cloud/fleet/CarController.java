package io.latchkey.cloud.fleet;

import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.audit.AuditEntry;
import io.latchkey.cloud.audit.Auditor;
import io.latchkey.cloud.booking.CarAccess;
import io.latchkey.cloud.car.Car;
import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.car.CarState;
import io.latchkey.cloud.car.VehicleProfiles;
import io.latchkey.cloud.device.DeviceIdentities;
import io.latchkey.cloud.device.Installation;
import io.latchkey.cloud.http.Problem;
import io.latchkey.cloud.http.QueryParams;
import io.latchkey.cloud.identity.Caller;
import io.latchkey.cloud.identity.Roles;
import io.latchkey.cloud.telemetry.TelemetryStore;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URI;
import java.time.Instant;
import java.util.List;

/** Cars of a tenant, their latest state and recent telemetry. */
@Controller("/t/{tenant}/cars")
@ExecuteOn(TaskExecutors.BLOCKING)
public class CarController {
    static final int MAX_TELEMETRY = 1000;

    private final CarRegistry cars;
    private final CarAccess access;
    private final TelemetryStore telemetry;
    private final DeviceIdentities deviceIdentities;
    private final Auditor auditor;

    /** {@code vehicleProfile}: optional, one of {@link VehicleProfiles#BUILT_IN}; the device's bundle carries it. */
    @Serdeable
    public record NewCar(@Nullable String id, String name, String plate, String deviceId, @Nullable String vehicleProfile) {
    }

    /** A bulk registration: {@code cars} holds 1..{@value CarRegistry#MAX_BATCH} cars, each as {@link NewCar}. */
    @Serdeable
    public record NewCars(@Nullable List<NewCar> cars) {
    }

    @Serdeable
    public record RegisteredCar(String id, String name, String plate, String deviceId, @Nullable String vehicleProfile) {
    }

    /** The cars registered, in the order given. */
    @Serdeable
    public record RegisteredCars(List<RegisteredCar> cars) {
    }

    @Serdeable
    public record CarSummary(String id, String name, String plate) {
    }

    /** {@code installation}: the device's last signed self-test (verified, or which checks failed); absent before one. */
    @Serdeable
    public record CarDetail(String id, String name, String plate, String deviceId, @Nullable String vehicleProfile, CarState state,
                            @Nullable Installation installation) {
    }

    public CarController(CarRegistry cars, CarAccess access, TelemetryStore telemetry, DeviceIdentities deviceIdentities,
                         Auditor auditor) {
        this.cars = cars;
        this.access = access;
        this.telemetry = telemetry;
        this.deviceIdentities = deviceIdentities;
        this.auditor = auditor;
    }

    @Operation(summary = "Register a car and the device fitted in it")
    @ApiResponse(responseCode = "201", description = "registered", useReturnTypeSchema = true,
            headers = @Header(name = "Location", description = "/t/{tenant}/cars/{id}", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "malformed JSON body, invalid id or deviceId, name or plate missing or too long, unknown vehicleProfile",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "the car exists, or the device is fitted in another car",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post
    @Secured({Roles.OPERATOR, Roles.TENANT_ADMIN})
    public HttpResponse<CarDetail> create(@PathVariable String tenant, @Body NewCar body, Authentication caller) {
        Car car = cars.create(tenant, body.id(), body.name(), body.plate(), body.deviceId(), body.vehicleProfile());
        auditor.record(tenant, caller.getName(), "car.create", "car/" + car.id(), AuditEntry.OK);
        return HttpResponse.created(detail(tenant, car), URI.create("/t/" + tenant + "/cars/" + car.id()));
    }

    @Operation(summary = "Register up to 1000 cars and their devices in one request (a fleet's roll-out); each car is audited "
            + "as `car.create`, as if registered alone. Every car is checked before any is stored, so a list with a bad or "
            + "taken entry registers nothing")
    @ApiResponse(responseCode = "201", description = "all registered", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "malformed JSON body, cars missing, empty or more than 1000, an entry "
            + "with an invalid id or deviceId, name or plate missing or too long, an unknown vehicleProfile, or an id or deviceId "
            + "given twice (the message names the entry); nothing registered",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "a car exists, or a device is fitted in another car: nothing registered "
            + "(unless another request took it between the check and the write: the message says how many before it are registered)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post("/batch")
    @Secured({Roles.OPERATOR, Roles.TENANT_ADMIN})
    public HttpResponse<RegisteredCars> createAll(@PathVariable String tenant, @Body NewCars body, Authentication caller) {
        if (body.cars() == null) {
            throw new InvalidRequestException("cars is required (1.." + CarRegistry.MAX_BATCH + " cars)");
        }
        List<CarRegistry.Registration> registrations = body.cars().stream()
                .map(c -> c == null ? null : new CarRegistry.Registration(c.id(), c.name(), c.plate(), c.deviceId(), c.vehicleProfile()))
                .toList();
        List<Car> registered = new java.util.ArrayList<>();
        try {
            cars.createAll(tenant, registrations, registered::add);
        } finally {
            if (!registered.isEmpty()) {
                auditor.recordAll(tenant, caller.getName(), "car.create", registered.stream().map(c -> "car/" + c.id()).toList(),
                        AuditEntry.OK);
            }
        }
        return HttpResponse.created(new RegisteredCars(registered.stream()
                .map(c -> new RegisteredCar(c.id(), c.name(), c.plate(), c.deviceId(), c.vehicleProfile())).toList()));
    }

    @Operation(summary = "List the tenant's cars")
    @ApiResponse(responseCode = "200", description = "every car of the tenant", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get
    @Secured({Roles.BORROWER, Roles.OWNER, Roles.OPERATOR, Roles.INSTALLER, Roles.TENANT_ADMIN})
    public List<CarSummary> list(@PathVariable String tenant) {
        return cars.all(tenant).stream().map(c -> new CarSummary(c.id(), c.name(), c.plate())).toList();
    }

    @Operation(summary = "A car and its latest state (operators; a borrower while a booking of theirs covers now)")
    @ApiResponse(responseCode = "200", description = "the car", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it, or no booking of yours covers now",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown car",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get("/{carId}")
    @Secured({Roles.BORROWER, Roles.OPERATOR, Roles.TENANT_ADMIN})
    public CarDetail get(@PathVariable String tenant, @PathVariable String carId, Authentication caller) {
        Car car = cars.require(tenant, carId);
        access.require(tenant, carId, Caller.of(caller));
        return detail(tenant, car);
    }

    @Operation(summary = "Recent telemetry records of a car, oldest first: the last `limit` records, or with from/to "
            + "the last `limit` whose time (the car's clock) lies in [from, to)")
    @ApiResponse(responseCode = "200", description = "the records", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "limit not 1..1000, from or to not an ISO-8601 instant, to not after from",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown car",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get("/{carId}/telemetry")
    @Secured({Roles.OPERATOR, Roles.TENANT_ADMIN})
    public List<TelemetryRecord> telemetry(@PathVariable String tenant, @PathVariable String carId,
                                           @QueryValue(defaultValue = "50") int limit, @Nullable @QueryValue String from,
                                           @Nullable @QueryValue String to) {
        if (limit < 1 || limit > MAX_TELEMETRY) {
            throw new InvalidRequestException("limit must be 1.." + MAX_TELEMETRY);
        }
        Instant fromAt = QueryParams.instant("from", from);
        Instant toAt = QueryParams.instant("to", to);
        if (fromAt != null && toAt != null && !toAt.isAfter(fromAt)) {
            throw new InvalidRequestException("to must be after from");
        }
        Car car = cars.require(tenant, carId);
        return telemetry.window(tenant, car.deviceId(), fromAt, toAt, limit);
    }

    private CarDetail detail(String tenant, Car car) {
        return new CarDetail(car.id(), car.name(), car.plate(), car.deviceId(), car.vehicleProfile(), cars.state(tenant, car.id()),
                deviceIdentities.installation(tenant, car).orElse(null));
    }
}
