package io.latchkey.cloud.rental;

import io.latchkey.cloud.ConflictException;
import io.latchkey.cloud.ForbiddenException;
import io.latchkey.cloud.UnavailableException;
import io.latchkey.cloud.booking.Booking;
import io.latchkey.cloud.booking.BookingService;
import io.latchkey.cloud.car.Car;
import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.command.CommandResult;
import io.latchkey.cloud.command.CommandService;
import io.latchkey.cloud.identity.Caller;
import io.latchkey.cloud.telemetry.Trips;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Ends rentals, checked by the car: the car checks itself ({@link CommandService#endRental}, with its home zone when it
 * has one) and locks itself if all holds; only then does the booking become {@code ENDED} ({@link BookingService#end}),
 * and whoever made that transition (one caller: it is conditional) mails the borrower the {@link Receipt}.
 *
 * <p>Audit: the command is audited by {@code CommandService} ({@code car.end_rental} with the car's outcome), the
 * booking's end by {@code BookingService} ({@code booking.end}); nothing here audits a second time.
 */
@Singleton
public class Rentals {
    private final BookingService bookings;
    private final CommandService commands;
    private final CarRegistry cars;
    private final Trips trips;
    private final RentalMessages messages;
    private final Clock clock;

    /**
     * The answer to an attempt to end a rental.
     *
     * @param ended   the car locked itself and the booking is {@code ENDED}
     * @param booking the booking as it is now (when ended)
     * @param receipt the rental's receipt (when ended)
     * @param failed  the car's checks that failed, in its words (when not ended); nothing changed
     */
    @Serdeable
    public record EndResult(boolean ended, @Nullable Booking booking, @Nullable Receipt receipt, @Nullable List<String> failed) {
        static EndResult refused(List<String> failed) {
            return new EndResult(false, null, null, failed);
        }
    }

    /** The car answered, but neither executed END_RENTAL nor named failed checks (signature, expiry, a fault): 502. */
    public static final class CarRefusedException extends RuntimeException {
        private final CommandResult result;

        CarRefusedException(CommandResult result) {
            super("the car answered " + result.outcome() + (result.reason() != null ? " (" + result.reason() + ")" : "")
                    + " to END_RENTAL " + result.commandId() + "; the rental has not ended");
            this.result = result;
        }

        public CommandResult result() {
            return result;
        }
    }

    public Rentals(BookingService bookings, CommandService commands, CarRegistry cars, Trips trips, RentalMessages messages,
                   Clock clock) {
        this.bookings = bookings;
        this.commands = commands;
        this.cars = cars;
        this.trips = trips;
        this.messages = messages;
        this.clock = clock;
    }

    /**
     * The borrower of the booking, or an operator or tenant-admin, asks the car to end the rental.
     *
     * @throws io.latchkey.cloud.NotFoundException an operator naming an unknown booking (see {@link BookingService#visible})
     * @throws ForbiddenException                  another's booking (or an unknown one, alike) for a non-operator; an
     *                                             owner of the car who is not its borrower
     * @throws ConflictException                   the booking is not {@code ACTIVE} (also when it ended meanwhile)
     * @throws io.latchkey.cloud.GatewayTimeoutException no answer from the car in time (nothing changed)
     * @throws UnavailableException                the broker did not take the command (nothing changed)
     * @throws CarRefusedException                 the car refused the command for another reason than its checks
     */
    public EndResult end(String tenant, String bookingId, Caller caller) {
        Booking b = bookings.visible(tenant, bookingId, caller);
        if (!caller.actsForTenant() && !caller.is(b.userId())) {
            throw new ForbiddenException("only the borrower or an operator may end a rental");
        }
        requireActive(b);
        return attempt(tenant, b, caller.userId());
    }

    /**
     * Asks the car to end the rental of {@code b} on behalf of {@code actor} and, if it locked itself, ends the booking.
     * {@code b} must be {@code ACTIVE}; whether {@code actor} may is the caller's to decide.
     */
    EndResult attempt(String tenant, Booking b, String actor) {
        Car car = cars.require(tenant, b.carId());
        CommandResult result = await(commands.endRental(tenant, car.id(), actor, car.homeZone()));
        if ("EXECUTED".equals(result.outcome())) {
            Booking ended = bookings.end(tenant, b.id(), actor, clock.instant());
            Receipt receipt = receipt(tenant, ended, car);
            messages.receipt(tenant, ended, receipt);
            return new EndResult(true, ended, receipt, null);
        }
        if ("REJECTED".equals(result.outcome()) && result.failed() != null && !result.failed().isEmpty()) {
            return EndResult.refused(result.failed());
        }
        throw new CarRefusedException(result);
    }

    /** The receipt of an {@code ENDED} booking. */
    Receipt receipt(String tenant, Booking ended, Car car) {
        Trips.TripTotals totals = trips.within(tenant, ended.carId(),
                ended.startedAt() != null ? ended.startedAt() : ended.start(), ended.endedAt());
        return Receipt.of(ended, car.name() + " (" + car.plate() + ")", totals);
    }

    private static void requireActive(Booking b) {
        if (b.state() != Booking.State.ACTIVE) {
            throw new ConflictException("booking " + b.id() + " is " + b.state() + ": only an active rental can end");
        }
    }

    /** The car's answer; the command's own lifetime bounds the wait. */
    static CommandResult await(CompletableFuture<CommandResult> answer) {
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while waiting for the car", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
