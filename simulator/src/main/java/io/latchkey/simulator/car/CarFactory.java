package io.latchkey.simulator.car;

import io.latchkey.simulator.route.GeoPoint;
import io.latchkey.simulator.route.RouteSource;
import io.latchkey.simulator.route.StreetGrid;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Makes the i-th car of a fleet, reproducibly from one seed: a home somewhere within {@code spreadMetres}
 * of the centre, a street grid around it (or a shared GPX track), the built-in profiles in turn, and a
 * random odometer and fuel or charge level.
 */
public final class CarFactory {
    private static final double BLOCK_METRES = 120;
    private static final int GRID_BLOCKS = 8;

    private final CarProfiles profiles;
    private final GeoPoint centre;
    private final double spreadMetres;
    private final Clock clock;
    private final Duration relayPulse;
    private final long seed;
    private final RouteSource track;

    public CarFactory(CarProfiles profiles, GeoPoint centre, double spreadMetres, Clock clock, Duration relayPulse, long seed) {
        this(profiles, centre, spreadMetres, clock, relayPulse, seed, null);
    }

    /** @param track a route every car drives (a GPX track), or null for a street grid around each home */
    public CarFactory(CarProfiles profiles, GeoPoint centre, double spreadMetres, Clock clock, Duration relayPulse, long seed,
                      RouteSource track) {
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.centre = Objects.requireNonNull(centre, "centre");
        this.spreadMetres = spreadMetres;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.relayPulse = Objects.requireNonNull(relayPulse, "relayPulse");
        this.seed = seed;
        this.track = track;
    }

    public SimulatedCar create(String deviceId, int index) {
        SplittableRandom random = new SplittableRandom(seed * 31 + index);
        GeoPoint home = centre.offset((random.nextDouble() - 0.5) * 2 * spreadMetres, (random.nextDouble() - 0.5) * 2 * spreadMetres);
        RouteSource routes = track != null ? track : new StreetGrid(home, BLOCK_METRES, GRID_BLOCKS, random.split());
        CarProfile profile = profiles.inTurn(index);
        VehicleModel model = new VehicleModel(routes, home, profile.powertrain(), 10_000 + random.nextInt(50_000),
                40 + random.nextInt(60));
        return new SimulatedCar(deviceId, model, profile, clock, relayPulse);
    }
}
