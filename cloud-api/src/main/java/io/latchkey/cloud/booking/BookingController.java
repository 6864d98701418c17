package io.latchkey.cloud.booking;

import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.audit.AuditEntry;
import io.latchkey.cloud.audit.Auditor;
import io.latchkey.cloud.http.Problem;
import io.latchkey.cloud.identity.Caller;
import io.latchkey.cloud.identity.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
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

/**
 * Borrowers book cars (for a window, or now) and cancel or extend their bookings; owners see the bookings of their
 * cars; operators see, cancel and extend every booking. Which state allows what is {@link BookingService}'s.
 */
@Controller("/t/{tenant}/bookings")
@ExecuteOn(TaskExecutors.BLOCKING)
public class BookingController {
    private final BookingService bookings;
    private final Auditor auditor;

    /**
     * A booking for {@code [start, end)}, or with {@code immediate: true} a reservation of the car from now until
     * {@code end} (default {@code latchkey.bookings.immediate-length}); {@code start} must then be absent.
     */
    @Serdeable
    public record NewBooking(String carId, @Nullable Instant start, @Nullable Instant end, @Nullable Boolean immediate) {
    }

    @Serdeable
    public record Extension(@Nullable Instant end) {
    }

    /** The user ids of the co-drivers a borrower names on their booking (all of them: it replaces the list). */
    @Serdeable
    public record CoDrivers(@Nullable List<String> coDrivers) {
    }

    public BookingController(BookingService bookings, Auditor auditor) {
        this.bookings = bookings;
        this.auditor = auditor;
    }

    @Operation(summary = "Book a car for [start, end), or with immediate:true reserve it from now (it lapses unless the rental starts at the car within latchkey.bookings.reservation-hold)")
    @ApiResponse(responseCode = "201", description = "booked (CONFIRMED); the borrower is mailed a confirmation", useReturnTypeSchema = true,
            headers = @Header(name = "Location", description = "/t/{tenant}/bookings/{id}", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "missing or malformed field, or outside the booking limits (latchkey.bookings.*)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "not a borrower",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown car",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "the car is booked for part of that time, or the borrower already holds the most open bookings allowed",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post
    @Secured(Roles.BORROWER)
    public HttpResponse<Booking> create(@PathVariable String tenant, @Body NewBooking body, Authentication caller) {
        Booking booking;
        if (Boolean.TRUE.equals(body.immediate())) {
            if (body.start() != null) {
                throw new InvalidRequestException("an immediate reservation starts now: leave start out");
            }
            booking = bookings.reserveNow(tenant, caller.getName(), body.carId(), body.end());
        } else {
            booking = bookings.book(tenant, caller.getName(), body.carId(), body.start(), body.end());
        }
        auditor.record(tenant, caller.getName(), "booking.create", BookingService.subject(booking), AuditEntry.OK);
        return HttpResponse.created(booking, URI.create("/t/" + tenant + "/bookings/" + booking.id()));
    }

    @Operation(summary = "Bookings, a page at a time by start then id: a borrower's own, an owner's also those of their cars, all of them for operators; filtered by carId, userId, state (repeatable or comma-separated) and a from/to range they overlap; coDriving=true: instead the bookings the caller is named on as a co-driver")
    @ApiResponse(responseCode = "200", description = "one page: items, page, size, total, and next (absent on the last page)", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "a malformed filter, to not after from, page or size out of range, coDriving neither true nor false",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "a role that sees no bookings",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get
    @Secured({Roles.BORROWER, Roles.OWNER, Roles.OPERATOR, Roles.TENANT_ADMIN})
    public BookingPage list(@PathVariable String tenant, @QueryValue @Nullable String carId, @QueryValue @Nullable String userId,
                            @QueryValue @Nullable List<String> state, @QueryValue @Nullable String from,
                            @QueryValue @Nullable String to, @QueryValue @Nullable Integer page, @QueryValue @Nullable Integer size,
                            @QueryValue @Nullable String coDriving, Authentication caller) {
        BookingQuery query = BookingQuery.parse(carId, userId, state, from, to, page, size, coDriving);
        BookingPage result = bookings.list(tenant, Caller.of(caller), query);
        return result.hasMore() ? result.withNext("/t/" + tenant + "/bookings?" + query.queryFor(query.page() + 1)) : result;
    }

    @Operation(summary = "One booking: a borrower their own (and those they are named on as a co-driver), an owner those of their cars, operators any (a non-operator gets the same 403 for another's booking and for an unknown id)")
    @ApiResponse(responseCode = "200", description = "the booking", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "not a booking of yours (also when it does not exist)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown booking (operators and tenant-admins), or an id that cannot exist",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get("/{id}")
    @Secured({Roles.BORROWER, Roles.OWNER, Roles.OPERATOR, Roles.TENANT_ADMIN})
    public Booking get(@PathVariable String tenant, @PathVariable String id, Authentication caller) {
        return bookings.readable(tenant, id, Caller.of(caller));
    }

    @Operation(summary = "Cancel a booking: the borrower while CONFIRMED (not started at the car), an operator while CONFIRMED or ACTIVE (an active rental ends now)")
    @ApiResponse(responseCode = "200", description = "the booking, CANCELLED; the borrower is mailed", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "not a booking of yours (also when it does not exist), or an owner who is not its borrower",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown booking (operators and tenant-admins)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "its state does not allow it (started, ended, cancelled, lapsed)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post("/{id}/cancel")
    @Secured({Roles.BORROWER, Roles.OPERATOR, Roles.TENANT_ADMIN})
    public Booking cancel(@PathVariable String tenant, @PathVariable String id, Authentication caller) {
        return bookings.cancel(tenant, id, Caller.of(caller));
    }

    @Operation(summary = "Cancel a booking (the same as POST /{id}/cancel)")
    @ApiResponse(responseCode = "200", description = "the booking, CANCELLED; the borrower is mailed", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "not a booking of yours (also when it does not exist), or an owner who is not its borrower",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown booking (operators and tenant-admins)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "its state does not allow it (started, ended, cancelled, lapsed)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Delete("/{id}")
    @Secured({Roles.BORROWER, Roles.OPERATOR, Roles.TENANT_ADMIN})
    public Booking delete(@PathVariable String tenant, @PathVariable String id, Authentication caller) {
        return bookings.cancel(tenant, id, Caller.of(caller));
    }

    @Operation(summary = "Move the end of a CONFIRMED or ACTIVE booking later (its borrower or an operator), if nothing overlaps and within the booking limits")
    @ApiResponse(responseCode = "200", description = "the booking with its new end; the borrower is mailed", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "end missing, malformed, not later than the current end, in the past, or the booking would be longer than latchkey.bookings.max-length",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "not a booking of yours (also when it does not exist), or an owner who is not its borrower",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown booking (operators and tenant-admins)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "its state does not allow it, or another booking of the car overlaps the extension",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post("/{id}/extend")
    @Secured({Roles.BORROWER, Roles.OPERATOR, Roles.TENANT_ADMIN})
    public Booking extend(@PathVariable String tenant, @PathVariable String id, @Body Extension body, Authentication caller) {
        return bookings.extend(tenant, id, Caller.of(caller), body.end());
    }

    @Operation(summary = "Name the co-drivers of a CONFIRMED or ACTIVE booking (its borrower; the list replaces the one before): each may then ask for an offline key of their own; a co-driver no longer named loses their keys (revoked)")
    @ApiResponse(responseCode = "200", description = "the booking with its co-drivers", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "coDrivers missing, a malformed or repeated user id, the borrower, a user who is not a borrower, or more than " + BookingService.MAX_CO_DRIVERS,
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "not a borrower, or not a booking of yours (also when it does not exist)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "a user id that names nobody of the tenant, or a booking id that cannot exist",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "the booking is no longer open (cancelled, ended, lapsed)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Put("/{id}/co-drivers")
    @Secured(Roles.BORROWER)
    public Booking coDrivers(@PathVariable String tenant, @PathVariable String id, @Body CoDrivers body, Authentication caller) {
        return bookings.setCoDrivers(tenant, id, Caller.of(caller), body.coDrivers());
    }
}
