package io.latchkey.cloud.booking;

import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.http.QueryParams;
import io.latchkey.cloud.car.Car;
import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.car.CarState;
import io.latchkey.cloud.device.DeviceIdentities;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which cars a borrower could book for a window: no {@code CONFIRMED} or {@code ACTIVE} booking holds them for any
 * part of it, and their device holds an active certificate (a car whose device was never provisioned, or was
 * decommissioned, cannot be opened, so it is not offered). Near a position, with their distance, nearest first.
 */
@Singleton
public class Availability {
    /** The largest search radius, in metres. */
    static final int MAX_RADIUS_M = 100_000;
    private static final double EARTH_RADIUS_M = 6_371_008.8;

    private final CarRegistry cars;
    private final DeviceIdentities devices;
    private final BookingService bookings;
    private final Clock clock;

    /**
     * A free car and where it was last reported.
     *
     * @param distanceM from the position asked about, in whole metres; absent without a position, or when the car's
     *                  position is unknown
     */
    @Serdeable
    public record AvailableCar(String id, String name, String plate, @Nullable Double lat, @Nullable Double lon,
                               @Nullable Instant lastSeen, @Nullable Boolean online, @Nullable Long distanceM) {
    }

    public Availability(CarRegistry cars, DeviceIdentities devices, BookingService bookings, Clock clock) {
        this.cars = cars;
        this.devices = devices;
        this.bookings = bookings;
        this.clock = clock;
    }

    /**
     * @param lat     with {@code lon}: the position to measure from
     * @param radiusM only with a position: leave out cars farther away, or whose position is unknown
     * @throws InvalidRequestException a window outside the booking rules, a half or out-of-range position, a radius
     *                                 out of range or without a position
     */
    public List<AvailableCar> find(String tenant, String fromText, String toText, @Nullable Double lat, @Nullable Double lon,
                                   @Nullable Integer radiusM) {
        Instant from = QueryParams.instant("from", fromText);
        Instant to = QueryParams.instant("to", toText);
        if (from == null || to == null) {
            throw new InvalidRequestException("from and to are required (ISO-8601 instants)");
        }
        bookings.checkWindow(from, to, clock.instant(), "from", "to");
        if ((lat == null) != (lon == null)) {
            throw new InvalidRequestException("lat and lon go together");
        }
        if (lat != null && (!(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180))) {
            throw new InvalidRequestException("lat must be -90..90 and lon -180..180");
        }
        if (radiusM != null && lat == null) {
            throw new InvalidRequestException("radiusM needs lat and lon");
        }
        if (radiusM != null && (radiusM < 1 || radiusM > MAX_RADIUS_M)) {
            throw new InvalidRequestException("radiusM must be 1.." + MAX_RADIUS_M);
        }
        List<AvailableCar> free = new ArrayList<>();
        for (Car car : cars.all(tenant)) {
            if (!reachable(tenant, car) || bookings.blocked(tenant, car.id(), from, to)) {
                continue;
            }
            CarState state = cars.state(tenant, car.id());
            Long distance = lat != null && state.lat() != null && state.lon() != null
                    ? Math.round(distanceM(lat, lon, state.lat(), state.lon())) : null;
            if (radiusM != null && (distance == null || distance > radiusM)) {
                continue;
            }
            free.add(new AvailableCar(car.id(), car.name(), car.plate(), state.lat(), state.lon(), state.lastSeen(), state.online(),
                    distance));
        }
        Comparator<AvailableCar> order = lat == null ? Comparator.comparing(AvailableCar::id)
                : Comparator.comparing(AvailableCar::distanceM, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(AvailableCar::id);
        free.sort(order);
        return free;
    }

    private boolean reachable(String tenant, Car car) {
        return devices.find(tenant, car.deviceId()).filter(d -> d.active() && car.id().equals(d.carId())).isPresent();
    }

    /** Great-circle distance (haversine) in metres. */
    static double distanceM(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.sin(dLat / 2) * Math.sin(dLat / 2)
                + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
    }
}
