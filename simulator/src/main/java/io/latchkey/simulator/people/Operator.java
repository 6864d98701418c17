package io.latchkey.simulator.people;

import io.latchkey.simulator.api.ApiException;
import io.latchkey.simulator.api.ApiTypes.Car;
import io.latchkey.simulator.api.LatchkeyClient;
import io.latchkey.simulator.api.Session;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A virtual fleet operator: every so often lists the cars, opens a few to see where they are and what
 * state they are in, reads one car's recent telemetry and (in scenarios with rentals) the events of cars overdue,
 * all over the public API.
 */
public final class Operator implements Runnable {
    private final LatchkeyClient api;
    private final Session session;
    private final String tenant;
    private final Duration every;
    private final SplittableRandom random;
    private final BooleanSupplier stop;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong carsSeenOnline = new AtomicLong();

    private final RentalLog rentals;

    public Operator(LatchkeyClient api, Session session, String tenant, Duration every, SplittableRandom random,
                    BooleanSupplier stop) {
        this(api, session, tenant, every, random, stop, null);
    }

    /** @param rentals where to pin the cars seen overdue ({@code BOOKING_OVERDUE} events); null: events are not read */
    public Operator(LatchkeyClient api, Session session, String tenant, Duration every, SplittableRandom random,
                    BooleanSupplier stop, RentalLog rentals) {
        this.rentals = rentals;
        this.api = api;
        this.session = session;
        this.tenant = tenant;
        this.every = every;
        this.random = random;
        this.stop = stop;
    }

    @Override
    public void run() {
        while (Pacing.sleep(every, stop)) {
            try {
                look();
            } catch (ApiException e) {
                errors.incrementAndGet();
            } catch (RuntimeException e) {
                // an answer it could not read: counted, and the operator keeps looking
                errors.incrementAndGet();
            }
        }
    }

    private void look() {
        List<Car> cars = api.cars(session.token(), tenant);
        requests.incrementAndGet();
        if (cars.isEmpty()) {
            return;
        }
        for (int i = 0; i < 3; i++) {
            Car c = cars.get(random.nextInt(cars.size()));
            var detail = api.car(session.token(), tenant, c.id());
            requests.incrementAndGet();
            if (detail.state() != null && Boolean.TRUE.equals(detail.state().online())) {
                carsSeenOnline.incrementAndGet();
            }
        }
        api.telemetry(session.token(), tenant, cars.get(random.nextInt(cars.size())).id(), 10);
        requests.incrementAndGet();
        if (rentals != null) {
            for (var e : api.events(session.token(), tenant, null, "BOOKING_OVERDUE", 200).events()) {
                rentals.overdueSeen(e.carId());
            }
            requests.incrementAndGet();
        }
    }

    public long requests() {
        return requests.get();
    }

    public long errors() {
        return errors.get();
    }
}
