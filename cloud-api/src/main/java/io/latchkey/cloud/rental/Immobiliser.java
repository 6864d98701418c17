package io.latchkey.cloud.rental;

import io.latchkey.cloud.audit.AuditEntry;
import io.latchkey.cloud.booking.Booking;
import io.latchkey.cloud.booking.BookingService;
import io.latchkey.cloud.booking.RentalTransition;
import io.latchkey.cloud.car.Car;
import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.car.CarState;
import io.latchkey.cloud.command.CommandResult;
import io.latchkey.cloud.command.CommandService;
import io.latchkey.cloud.store.JsonCollection;
import io.latchkey.cloud.store.Stores;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenant policy "immobilised when idle" ({@link RentalPolicy#immobiliseWhenIdle}): while it is on, a car is sent
 * {@code MOBILISE} when a rental of it starts and {@code IMMOBILISE} when it stops (ended, or cancelled while active);
 * turning the policy on immobilises the cars without an active rental, turning it off mobilises the cars it had
 * immobilised. What each car should be is kept per car ({@code immobiliser/{carId}}, {@link Wanted}); a command the car
 * refused (its interlock: {@code MOVING}, {@code SPEED_UNKNOWN}, {@code IGNITION_ON}) or did not answer is tried again
 * by every {@link RentalSweep} until the car confirms it. Nothing is forced: the car immobilises only when it knows it
 * stands still with the ignition off, and the sweep does not even ask a car its last known state shows moving or with
 * the ignition on. Each command is audited by {@code CommandService} ({@code car.immobilise} / {@code car.mobilise},
 * actor {@code system}).
 */
@Singleton
public class Immobiliser implements ApplicationEventListener<RentalTransition> {
    private static final Logger LOG = LoggerFactory.getLogger(Immobiliser.class);

    private final RentalPolicies policies;
    private final CommandService commands;
    private final BookingService bookings;
    private final CarRegistry cars;
    private final Stores stores;
    private final Clock clock;

    /**
     * What a car's immobiliser should be, and whether the car confirmed it.
     *
     * @param immobilised true: IMMOBILISE; false: MOBILISE
     * @param because     the booking whose start or end asked for it, or {@code policy} (the policy was switched)
     * @param since       when it was asked for
     * @param done        the car executed it
     * @param attempts    commands sent for it so far
     * @param lastRefusal the car's last reason for refusing it (or TIMED_OUT, NOT_SENT), if any
     */
    @Serdeable
    public record Wanted(String carId, boolean immobilised, String because, Instant since, boolean done, int attempts,
                         @Nullable String lastRefusal) {
        boolean sameRequest(Wanted other) {
            return other != null && immobilised == other.immobilised && since.equals(other.since) && because.equals(other.because);
        }

        Wanted attempted() {
            return new Wanted(carId, immobilised, because, since, done, attempts + 1, lastRefusal);
        }

        Wanted settled(boolean executed, @Nullable String refusal) {
            return new Wanted(carId, immobilised, because, since, executed, attempts, executed ? null : refusal);
        }
    }

    public Immobiliser(RentalPolicies policies, CommandService commands, BookingService bookings, CarRegistry cars,
                       Stores stores, Clock clock) {
        this.policies = policies;
        this.commands = commands;
        this.bookings = bookings;
        this.cars = cars;
        this.stores = stores;
        this.clock = clock;
    }

    /** A rental started or stopped: with the policy on, the car is told at once (without waiting for its answer). */
    @Override
    public void onApplicationEvent(RentalTransition t) {
        try {
            if (!policies.get(t.tenant()).immobiliseWhenIdle()) {
                return;
            }
            Booking b = t.booking();
            Wanted w = want(t.tenant(), b.carId(), !t.started(), b.id());
            send(t.tenant(), w);
        } catch (RuntimeException e) {
            LOG.warn("could not apply the immobiliser policy to car {} of tenant {}: {}", t.booking().carId(), t.tenant(),
                    e.toString());
        }
    }

    /**
     * The policy was switched: on, the cars without an active rental are to be immobilised; off, the cars this policy
     * immobilised (or was about to) are to be mobilised. The next sweeps send the commands.
     */
    void policyChanged(String tenant, boolean on) {
        Set<String> active = activeCars(tenant);
        if (on) {
            for (Car car : cars.all(tenant)) {
                if (!active.contains(car.id())) {
                    want(tenant, car.id(), true, "policy");
                }
            }
        } else {
            for (Wanted w : wanted(tenant).all()) {
                if (w.immobilised()) {
                    want(tenant, w.carId(), false, "policy");
                }
            }
        }
    }

    /**
     * Sends every command not confirmed yet again (called by the sweep; waits for each answer). An IMMOBILISE waits
     * while a rental of the car is active (its start asked for MOBILISE) or the car's last known state shows it moving
     * or with the ignition on; a MOBILISE is always sent.
     */
    void retry(String tenant) {
        JsonCollection<Wanted> wanted = wanted(tenant);
        if (wanted.ids().isEmpty()) {
            return;
        }
        Set<String> active = activeCars(tenant);
        for (Wanted w : wanted.all()) {
            if (w.done()) {
                continue;
            }
            if (w.immobilised() && active.contains(w.carId())) {
                continue; // a rental is on: the start's MOBILISE replaces this one
            }
            if (w.immobilised() && moving(cars.state(tenant, w.carId()))) {
                continue;
            }
            try {
                Rentals.await(send(tenant, w));
            } catch (RuntimeException e) {
                LOG.info("car {} of tenant {} did not confirm {}: {}", w.carId(), tenant,
                        w.immobilised() ? "IMMOBILISE" : "MOBILISE", e.getMessage());
            }
        }
    }

    private Wanted want(String tenant, String carId, boolean immobilise, String because) {
        Wanted w = new Wanted(carId, immobilise, because, clock.instant(), false, 0, null);
        wanted(tenant).upsert(carId, w, current -> w);
        return w;
    }

    /** Sends the command for {@code w} and records the car's answer on {@code w}, if it is still what the car should be. */
    private CompletableFuture<CommandResult> send(String tenant, Wanted w) {
        wanted(tenant).upsert(w.carId(), w, cur -> cur.sameRequest(w) ? cur.attempted() : cur);
        CompletableFuture<CommandResult> answer = commands.immobiliser(tenant, w.carId(), AuditEntry.SYSTEM, w.immobilised());
        answer.whenComplete((result, error) -> {
            boolean executed = result != null && "EXECUTED".equals(result.outcome());
            String refusal = result == null ? (error != null ? error.getClass().getSimpleName() : null)
                    : result.failed() != null && !result.failed().isEmpty() ? String.join(", ", result.failed()) : result.reason();
            try {
                wanted(tenant).upsert(w.carId(), w, cur -> cur.sameRequest(w) ? cur.settled(executed, refusal) : cur);
            } catch (RuntimeException e) {
                LOG.warn("could not record the immobiliser answer of car {} of tenant {}: {}", w.carId(), tenant, e.toString());
            }
        });
        return answer;
    }

    /** What the car should be and whether it confirmed it, if the policy ever asked. */
    public java.util.Optional<Wanted> of(String tenant, String carId) {
        return wanted(tenant).get(carId);
    }

    private Set<String> activeCars(String tenant) {
        return bookings.all(tenant).stream().filter(b -> b.state() == Booking.State.ACTIVE).map(Booking::carId)
                .collect(Collectors.toSet());
    }

    private static boolean moving(CarState s) {
        return s.speedKmh() != null && s.speedKmh() > 0 || Boolean.TRUE.equals(s.ignition());
    }

    private JsonCollection<Wanted> wanted(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), "immobiliser", Wanted.class);
    }
}
