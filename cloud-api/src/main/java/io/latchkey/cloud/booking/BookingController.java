package io.latchkey.cloud.booking;

import io.latchkey.cloud.audit.AuditEntry;
import io.latchkey.cloud.audit.Auditor;
import io.latchkey.cloud.http.Problem;
import io.latchkey.cloud.identity.Caller;
import io.latchkey.cloud.identity.Roles;
import io.latchkey.cloud.ownership.CarOwners;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
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
import java.util.Set;

/** Borrowers book cars; operators see every booking. */
@Controller("/t/{tenant}/bookings")
@ExecuteOn(TaskExecutors.BLOCKING)
public class BookingController {
    private final BookingService bookings;
    private final CarOwners owners;
    private final Auditor auditor;

    @Serdeable
    public record NewBooking(String carId, Instant start, Instant end) {
    }

    public BookingController(BookingService bookings, CarOwners owners, Auditor auditor) {
        this.bookings = bookings;
        this.owners = owners;
        this.auditor = auditor;
    }

    @Operation(summary = "Book a car for [start, end); 400 outside the booking limits (latchkey.bookings.*), 409 if it overlaps another booking of the car or the borrower already holds the most open bookings allowed")
    @ApiResponse(responseCode = "201", description = "booked", useReturnTypeSchema = true,
            headers = @Header(name = "Location", description = "/t/{tenant}/bookings/{id}", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "malformed JSON body, carId, start or end missing, end not after start or not in the future, outside the booking limits",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it (borrowers only)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown car",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "overlaps another booking of the car, or you already hold the most open bookings allowed",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post
    @Secured(Roles.BORROWER)
    public HttpResponse<Booking> create(@PathVariable String tenant, @Body NewBooking body, Authentication caller) {
        Booking booking = bookings.book(tenant, caller.getName(), body.carId(), body.start(), body.end());
        auditor.record(tenant, caller.getName(), "booking.create", "booking/" + booking.id() + " car/" + booking.carId(),
                AuditEntry.OK);
        return HttpResponse.created(booking, URI.create("/t/" + tenant + "/bookings/" + booking.id()));
    }

    @Operation(summary = "Bookings: a borrower's own, an owner's those of their cars, all of them for operators")
    @ApiResponse(responseCode = "200", description = "the bookings the caller may see", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get
    @Secured({Roles.BORROWER, Roles.OWNER, Roles.OPERATOR, Roles.TENANT_ADMIN})
    public List<Booking> list(@PathVariable String tenant, Authentication caller) {
        Caller who = Caller.of(caller);
        if (who.actsForTenant()) {
            return bookings.all(tenant);
        }
        Set<String> ownCars = who.isOwner() ? Set.copyOf(owners.carsOf(tenant, who.userId())) : Set.of();
        return bookings.all(tenant).stream()
                .filter(b -> who.is(b.userId()) || ownCars.contains(b.carId()))
                .toList();
    }
}
