package io.latchkey.cloud.fleet;

import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.car.Car;
import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.car.CarState;
import io.latchkey.cloud.live.LiveConfig;
import io.latchkey.cloud.live.LiveFeed;
import io.latchkey.cloud.live.LiveState;
import io.latchkey.cloud.telemetry.TelemetryStore;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * Every car of a tenant with its latest state, answered from memory: the car list is a per-tenant snapshot
 * (refreshed in the background every {@link LiveConfig#snapshotRefresh}), the states come from the
 * {@link LiveFeed} (seeded once per car from the store when the feed has not seen the car change since start),
 * the active bookings from {@link ActiveBookings} and the open alerts from {@link OpenAlerts}.
 */
@Singleton
public class FleetView {
    public static final int MAX_SIZE = 1000;
    public static final double MAX_RADIUS_M = 1_000_000;
    /** {@code low=true}: fuel or state of charge below this, in percent. */
    public static final double LOW_PERCENT = 20;
    /** {@code low=true}: the 12 V battery below this, in volts (about half charged, at rest). */
    public static final double LOW_VOLTS = 11.8;
    /** The longest {@code q}. */
    public static final int MAX_QUERY = 100;

    private final CarRegistry cars;
    private final TelemetryStore telemetry;
    private final LiveFeed live;
    private final ActiveBookings bookings;
    private final OpenAlerts alerts;
    private final TenantSnapshots<List<Car>> carLists;

    /**
     * One car in the fleet view. State fields are null until the car reported them.
     *
     * @param lastSeen       when the backend last heard from the car (telemetry, device state, a command's answer)
     * @param recordedAt     when the car took its latest record (device clock), or when the backend got the change
     * @param activeBooking  the booking covering now, or null
     * @param openAlerts     alerts of the car not acknowledged yet
     */
    @Serdeable
    public record FleetCar(String id, String name, String plate, @Nullable String vehicleProfile, boolean online,
                           @Nullable Instant lastSeen, @Nullable Instant recordedAt, @Nullable LockState lockState,
                           @Nullable Boolean doorsOpen, @Nullable Boolean ignition, @Nullable Double lat, @Nullable Double lon,
                           @Nullable Double speedKmh, @Nullable Double odometerKm, @Nullable Double fuelPercent,
                           @Nullable Double socPercent, @Nullable Double batteryVoltage,
                           @Nullable ActiveBookings.ActiveBooking activeBooking, int openAlerts) {
    }

    /**
     * One page of the fleet, sorted by car id.
     *
     * @param total         cars matching the filters, over all pages
     * @param latestEventId the tenant's latest live event id before this view was read: open the stream with it as
     *                      {@code Last-Event-ID} to get every change after the view (some may repeat what it shows)
     */
    @Serdeable
    public record FleetPage(List<FleetCar> items, int page, int size, int total, String latestEventId) {
    }

    /**
     * The filters of {@code GET /t/{tenant}/fleet}; every one is optional.
     *
     * @param q   part of the car's name or plate, case-insensitive; in plates only letters and digits count
     *            ({@code blk12} finds {@code B-LK 12})
     * @param low {@code true}: fuel or state of charge below {@link #LOW_PERCENT} % or the 12 V battery below
     *            {@link #LOW_VOLTS} V; {@code false}: none of these (a car that reported none of them is not low)
     */
    public record Filter(@Nullable Boolean online, @Nullable String lock, @Nullable Boolean bookedNow,
                         @Nullable Boolean alerts, @Nullable String carId, @Nullable String near, @Nullable Double radiusM,
                         @Nullable String q, @Nullable Boolean low, int page, int size) {
    }

    public FleetView(CarRegistry cars, TelemetryStore telemetry, LiveFeed live, ActiveBookings bookings, OpenAlerts alerts,
                     LiveConfig config, @Named(TaskExecutors.IO) ExecutorService io) {
        this.cars = cars;
        this.telemetry = telemetry;
        this.live = live;
        this.bookings = bookings;
        this.alerts = alerts;
        this.carLists = new TenantSnapshots<>(this::loadCars, config.snapshotRefresh(), io);
    }

    /** @throws InvalidRequestException for a malformed filter, page or size */
    public FleetPage page(String tenant, Filter filter) {
        if (filter.page() < 0) {
            throw new InvalidRequestException("page must be 0 or more");
        }
        if (filter.size() < 1 || filter.size() > MAX_SIZE) {
            throw new InvalidRequestException("size must be 1.." + MAX_SIZE);
        }
        LockState lock = parseLock(filter.lock());
        double[] near = parseNear(filter.near(), filter.radiusM());
        Query query = Query.of(filter.q());
        long latestEventId = live.latestId(tenant);
        List<Car> all = carLists.get(tenant);
        Map<String, LiveState> states = live.latest(tenant);
        Map<String, ActiveBookings.ActiveBooking> booked = bookings.coveringNow(tenant);
        Map<String, Integer> open = alerts.openByCar(tenant);
        List<FleetCar> matching = new ArrayList<>();
        for (Car car : all) {
            if (filter.carId() != null && !car.id().startsWith(filter.carId()) || query != null && !query.matches(car)) {
                continue;
            }
            LiveState known = states.get(car.id());
            if (known == null) {
                known = seed(tenant, car);
            }
            CarState s = known.state();
            ActiveBookings.ActiveBooking booking = booked.get(car.id());
            int alertCount = open.getOrDefault(car.id(), 0);
            boolean online = Boolean.TRUE.equals(s.online());
            if (filter.online() != null && filter.online() != online
                    || lock != null && s.lockState() != lock
                    || filter.bookedNow() != null && filter.bookedNow() != (booking != null)
                    || filter.alerts() != null && filter.alerts() != (alertCount > 0)
                    || near != null && (s.lat() == null || s.lon() == null
                    || distanceM(near[0], near[1], s.lat(), s.lon()) > near[2])) {
                continue;
            }
            LiveState.Readings r = known.readings() == null ? LiveState.Readings.NONE : known.readings();
            Double fuel = s.fuelPercent() != null ? s.fuelPercent() : r.fuelPercent();
            Double soc = s.socPercent() != null ? s.socPercent() : r.socPercent();
            if (filter.low() != null && filter.low() != isLow(fuel, soc, r.batteryVoltage())) {
                continue;
            }
            matching.add(new FleetCar(car.id(), car.name(), car.plate(), car.vehicleProfile(), online, s.lastSeen(),
                    known.recordedAt(), s.lockState(), s.doorsOpen(), s.ignition(), s.lat(), s.lon(), s.speedKmh(),
                    s.odometerKm(), fuel, soc, r.batteryVoltage(), booking, alertCount));
        }
        int from = (int) Math.min((long) filter.page() * filter.size(), matching.size());
        int to = Math.min(from + filter.size(), matching.size());
        return new FleetPage(List.copyOf(matching.subList(from, to)), filter.page(), filter.size(), matching.size(),
                Long.toString(latestEventId));
    }

    /** Whether any of the readings is low ({@link #LOW_PERCENT}, {@link #LOW_VOLTS}); missing ones are not. */
    static boolean isLow(@Nullable Double fuelPercent, @Nullable Double socPercent, @Nullable Double batteryVoltage) {
        return fuelPercent != null && fuelPercent < LOW_PERCENT || socPercent != null && socPercent < LOW_PERCENT
                || batteryVoltage != null && batteryVoltage < LOW_VOLTS;
    }

    /** The search of {@code q}: in the name as typed (case-insensitive), in the plate by its letters and digits. */
    private record Query(String text, String plate) {
        static @Nullable Query of(@Nullable String q) {
            if (q == null || q.isBlank()) {
                return null;
            }
            if (q.length() > MAX_QUERY) {
                throw new InvalidRequestException("q must be at most " + MAX_QUERY + " characters");
            }
            return new Query(q.strip().toLowerCase(Locale.ROOT), plateKey(q));
        }

        boolean matches(Car car) {
            return car.name() != null && car.name().toLowerCase(Locale.ROOT).contains(text)
                    || !plate.isEmpty() && car.plate() != null && plateKey(car.plate()).contains(plate);
        }

        private static String plateKey(String plate) {
            return plate.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", "");
        }
    }

    private List<Car> loadCars(String tenant) {
        List<Car> list = new ArrayList<>(cars.all(tenant));
        list.sort(Comparator.comparing(Car::id));
        Map<String, LiveState> states = live.latest(tenant);
        for (Car car : list) {
            if (!states.containsKey(car.id())) {
                seed(tenant, car);
            }
        }
        return List.copyOf(list);
    }

    /** The car's stored state and the readings of its latest stored record, remembered in the feed. */
    private LiveState seed(String tenant, Car car) {
        CarState state = cars.state(tenant, car.id());
        List<TelemetryRecord> last = telemetry.recent(tenant, car.deviceId(), 1);
        LiveState.Readings readings = last.isEmpty() ? null : LiveState.Readings.of(last.get(0).signals());
        Instant recordedAt = last.isEmpty() ? state.lastSeen() : last.get(0).time();
        live.seed(tenant, car.id(), new LiveState(car.id(), "store", state, readings, recordedAt));
        return live.latest(tenant).get(car.id());
    }

    private static LockState parseLock(String lock) {
        if (lock == null) {
            return null;
        }
        try {
            return LockState.valueOf(lock.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("lock must be one of LOCKED, UNLOCKED, UNKNOWN");
        }
    }

    /** {lat, lon, radius} or null; {@code near} is {@code lat,lon} in degrees and needs {@code radiusM}. */
    private static double[] parseNear(String near, Double radiusM) {
        if (near == null) {
            if (radiusM != null) {
                throw new InvalidRequestException("radiusM needs near=lat,lon");
            }
            return null;
        }
        String[] parts = near.split(",");
        double lat;
        double lon;
        try {
            if (parts.length != 2) {
                throw new NumberFormatException();
            }
            lat = Double.parseDouble(parts[0].strip());
            lon = Double.parseDouble(parts[1].strip());
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("near must be lat,lon in degrees, e.g. near=52.52,13.405");
        }
        if (!(lat >= -90 && lat <= 90) || !(lon >= -180 && lon <= 180)) {
            throw new InvalidRequestException("near must be a latitude in -90..90 and a longitude in -180..180");
        }
        if (radiusM == null || !(radiusM > 0 && radiusM <= MAX_RADIUS_M)) {
            throw new InvalidRequestException("near needs radiusM, in metres, more than 0 and at most " + (long) MAX_RADIUS_M);
        }
        return new double[] {lat, lon, radiusM};
    }

    /** Great-circle distance (haversine, mean earth radius). */
    static double distanceM(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.sin(dLat / 2) * Math.sin(dLat / 2)
                + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(a)));
    }
}
