package io.latchkey.cloud.booking;

import io.latchkey.cloud.audit.AuditEntry;
import io.latchkey.cloud.audit.Auditor;
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
    @Post
    @Secured(Roles.BORROWER)
    public HttpResponse<Booking> create(@PathVariable String tenant, @Body NewBooking body, Authentication caller) {
        Booking booking = bookings.book(tenant, caller.getName(), body.carId(), body.start(), body.end());
        auditor.record(tenant, caller.getName(), "booking.create", "booking/" + booking.id() + " car/" + booking.carId(),
                AuditEntry.OK);
        return HttpResponse.created(booking, URI.create("/t/" + tenant + "/bookings/" + booking.id()));
    }

    @Operation(summary = "Bookings: a borrower's own, an owner's those of their cars, all of them for operators")
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
