package io.latchkey.cloud.trip;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.latchkey.cloud.ForbiddenException;
import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.NotFoundException;
import io.latchkey.cloud.booking.Booking;
import io.latchkey.cloud.booking.BookingService;
import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.event.EventController;
import io.latchkey.cloud.http.Problem;
import io.latchkey.cloud.http.QueryParams;
import io.latchkey.cloud.identity.Caller;
import io.latchkey.cloud.identity.Roles;
import io.latchkey.cloud.telemetry.Trip;
import io.latchkey.cloud.telemetry.Trips;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** Trips of a car, one trip with its path as GeoJSON, and the trips of a booking. */
@Controller("/t/{tenant}")
@ExecuteOn(TaskExecutors.BLOCKING)
public class TripController {
    static final int MAX_LIMIT = 200;
    private static final Pattern TRIP_ID = Pattern.compile("t-\\d{1,16}");

    private final CarRegistry cars;
    private final Trips trips;
    private final TripAccess access;
    private final BookingService bookings;

    @Serdeable
    public record TripPage(List<Trip> trips, @Nullable @JsonInclude(JsonInclude.Include.ALWAYS) String next) {
    }

    /** GeoJSON LineString, positions [lon, lat]. */
    @Serdeable
    public record LineString(String type, List<List<Double>> coordinates) {
    }

    /** GeoJSON Feature: the trip's path as geometry (null with fewer than two fixes), the trip as properties. */
    @Serdeable
    public record TripFeature(String type, String id, @Nullable LineString geometry, Trip properties) {
    }

    @Serdeable
    public record BookingTrips(String bookingId, String carId, Instant start, Instant end, Trips.TripTotals totals) {
    }

    public TripController(CarRegistry cars, Trips trips, TripAccess access, BookingService bookings) {
        this.cars = cars;
        this.trips = trips;
        this.access = access;
        this.bookings = bookings;
    }

    @Operation(summary = "Trips of a car, newest first, that start in [from, to); paginated with the cursor 'next'. "
            + "Operators, tenant-admins and the car's owner see all; a borrower those inside their bookings of the car")
    @ApiResponse(responseCode = "200", description = "a page of trips (without paths) and the cursor of the next page", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "a malformed from, to, limit or cursor",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "no valid access token",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "a borrower without a booking of this car, or a role that sees no trips",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "no such car in this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get("/cars/{carId}/trips")
    @Secured({Roles.BORROWER, Roles.OWNER, Roles.OPERATOR, Roles.TENANT_ADMIN})
    public TripPage list(@PathVariable String tenant, @PathVariable String carId, @Nullable @QueryValue String from,
                         @Nullable @QueryValue String to, @Nullable @QueryValue String cursor, @Nullable @QueryValue String limit,
                         Authentication caller) {
        Instant fromAt = QueryParams.instant("from", from);
        Instant toAt = QueryParams.instant("to", to);
        if (fromAt != null && toAt != null && !toAt.isAfter(fromAt)) {
            throw new InvalidRequestException("to must be after from");
        }
        long before = Long.MAX_VALUE;
        if (cursor != null) {
            if (!TRIP_ID.matcher(cursor).matches()) {
                throw new InvalidRequestException("cursor is not one this listing returned");
            }
            before = Long.parseLong(cursor.substring(2));
        }
        int size = EventController.limit(limit, 50, MAX_LIMIT);
        cars.require(tenant, carId);
        Predicate<Trip> visible = access.visibleTo(tenant, carId, Caller.of(caller));
        List<Trip> all = trips.startingIn(tenant, carId, fromAt, toAt);
        List<Trip> page = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0; i--) {
            Trip trip = all.get(i);
            if (trip.startSeq() >= before || !visible.test(trip)) {
                continue;
            }
            if (page.size() == size) {
                return new TripPage(page, page.get(page.size() - 1).id());
            }
            page.add(trip.withoutPath());
        }
        return new TripPage(page, null);
    }

    @Operation(summary = "One trip as a GeoJSON Feature: its path a LineString of [lon, lat], its figures the properties")
    @ApiResponse(responseCode = "200", description = "the trip", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "no valid access token",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "a borrower whose bookings of the car do not hold this trip",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "no such car in this tenant, or no such trip of the car",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get("/cars/{carId}/trips/{tripId}")
    @Secured({Roles.BORROWER, Roles.OWNER, Roles.OPERATOR, Roles.TENANT_ADMIN})
    public TripFeature get(@PathVariable String tenant, @PathVariable String carId, @PathVariable String tripId,
                           Authentication caller) {
        cars.require(tenant, carId);
        Trip trip = (TRIP_ID.matcher(tripId).matches() ? trips.find(tenant, carId, tripId) : java.util.Optional.<Trip>empty())
                .orElseThrow(() -> new NotFoundException("unknown trip " + tripId + " of car " + carId));
        if (!access.visibleTo(tenant, carId, Caller.of(caller)).test(trip)) {
            throw new ForbiddenException("trip " + tripId + " is not inside a booking of yours");
        }
        List<List<Double>> path = trip.path() == null ? List.of() : trip.path();
        LineString geometry = path.size() >= 2 ? new LineString("LineString", path) : null;
        return new TripFeature("Feature", trip.id(), geometry, trip.withoutPath());
    }

    @Operation(summary = "The trips of a booking (those of its car that start inside its window) and their totals; the booking's borrower, operators and tenant-admins")
    @ApiResponse(responseCode = "200", description = "the booking's trips (without paths) and totals", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "no valid access token",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "the booking is another borrower's",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "no such booking in this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get("/bookings/{bookingId}/trips")
    @Secured({Roles.BORROWER, Roles.OPERATOR, Roles.TENANT_ADMIN})
    public BookingTrips ofBooking(@PathVariable String tenant, @PathVariable String bookingId, Authentication caller) {
        Booking booking = bookings.find(tenant, bookingId)
                .orElseThrow(() -> new NotFoundException("unknown booking " + bookingId));
        Caller who = Caller.of(caller);
        if (!who.actsForTenant() && !who.is(booking.userId())) {
            throw new ForbiddenException("booking " + bookingId + " is not yours");
        }
        return new BookingTrips(booking.id(), booking.carId(), booking.start(), booking.end(),
                trips.within(tenant, booking.carId(), booking.start(), booking.end()));
    }
}
