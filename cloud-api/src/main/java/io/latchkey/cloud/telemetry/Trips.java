package io.latchkey.cloud.telemetry;

import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.event.Events;
import io.latchkey.cloud.store.JsonCollection;
import io.latchkey.cloud.store.LastWritten;
import io.latchkey.cloud.store.StoreJson;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.TenantStore;
import io.latchkey.cloud.store.Versioned;
import io.latchkey.cloud.store.VersionConflictException;
import io.latchkey.cloud.store.DocumentExistsException;
import io.latchkey.protocol.command.HomeZone;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Trips of each car, segmented as telemetry is ingested ({@link TripSegmenter}). Finished trips never change and
 * are appended to the stream {@code trips-{carId}}; the open trip and what segmentation needs between batches live
 * in {@code trip-progress/{carId}} ({@link TripProgress}), written after the trips a batch finished and before the
 * batch's receipt. A crash in between makes the device resend: the records above the progress's seq are applied
 * again, and a trip already appended (among the stream's last) is not appended twice.
 */
@Singleton
public class Trips {
    private static final int MAX_ATTEMPTS = 5;
    /** {@link TripTotals#distanceSource()} when some trips' distances came from the odometer and some from GPS. */
    public static final String MIXED = "MIXED";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Trips.class);

    /**
     * Trips that start in a window, and their sums (what a rental receipt shows). {@code distanceKm} sums each trip's
     * {@link Trip#bestDistanceKm()}; {@code distanceSource} says where it came from: {@code ODOMETER} or {@code GPS}
     * when every trip's came from there, {@code MIXED} when both occur, null without trips.
     */
    @Serdeable
    public record TripTotals(List<Trip> trips, int count, double distanceKm, @Nullable String distanceSource,
                             double gpsDistanceKm, long durationS,
                             @Nullable Double maxSpeedKmh, @Nullable Double fuelUsedPct, @Nullable Double socUsedPct) {
    }

    private final Stores stores;
    private final CarRegistry cars;
    private final Events events;
    private final ApplicationEventPublisher<TripEnded> publisher;
    /**
     * Trip progress as this replica last wrote it, per tenant/car: the next batch of the car is applied to it and
     * written on its version without a read (one store request instead of two while this replica is the car's only
     * writer). An open trip's progress holds its path (up to {@link TripSegmenter#MAX_OPEN_POINTS} points), hence
     * the bound.
     */
    private final LastWritten<TripProgress> written = new LastWritten<>(PROGRESS_KEPT);
    static final int PROGRESS_KEPT = 5_000;

    public Trips(Stores stores, CarRegistry cars, Events events, ApplicationEventPublisher<TripEnded> publisher) {
        this.publisher = publisher;
        this.stores = stores;
        this.cars = cars;
        this.events = events;
    }

    /**
     * Applies a device's records (in seq order; those already applied are skipped). Callers serialise calls per
     * device, as telemetry ingestion does.
     */
    void ingest(String tenant, String carId, List<TelemetryRecord> records) {
        ingest(tenant, carId, records, List.of());
    }

    /**
     * {@link #ingest(String, String, List)}, told the car's records another replica appended since this replica's last
     * batch of the car ({@link TelemetryStore.Stored#appendedByOthers}): if this replica's copy of the progress, with
     * those records and then the batch's applied, changes in nothing but the seq and time (a parked car), the copy was
     * current for everything those records did (nothing), and the batch is skipped as one that follows it.
     */
    void ingest(String tenant, String carId, List<TelemetryRecord> records, List<TelemetryRecord> appendedByOthers) {
        if (records.isEmpty()) {
            return;
        }
        HomeZone zone = cars.homeZoneForTelemetry(tenant, carId);
        JsonCollection<TripProgress> progresses = progress(tenant);
        String key = tenant + "/" + carId;
        List<TelemetryRecord> bySeq = records.stream().sorted(Comparator.comparingLong(TelemetryRecord::seq)).toList();
        // the progress this replica last wrote, unread: good enough to skip the read when it is still current (the
        // conditional write finds out), never good enough for a side effect (a finished trip, a home-zone exit)
        Versioned<TripProgress> known = written.get(key);
        if (known != null && !appendedByOthers.isEmpty()) {
            Optional<TripProgress> parked = parkedThrough(known.value(), appendedByOthers, bySeq, carId, zone);
            if (parked.isPresent()) {
                written.put(key, new Versioned<>(parked.get(), known.version()));
                return;
            }
        }
        for (int attempt = 1; ; attempt++) {
            Optional<Versioned<TripProgress>> stored = known != null ? Optional.of(known) : progresses.find(carId);
            TripProgress p = stored.map(Versioned::value).orElse(TripProgress.NONE);
            long before = p.lastSeq();
            List<Trip> finished = new ArrayList<>();
            List<Runnable> exits = new ArrayList<>();
            for (TelemetryRecord r : bySeq) {
                TripSegmenter.Step step = TripSegmenter.apply(p, r, carId, zone);
                p = step.progress();
                finished.addAll(step.finished());
                if (step.leftHomeZone()) {
                    Map<String, String> details = new LinkedHashMap<>();
                    details.put("distanceM", Long.toString(Math.round(step.distanceFromHomeM())));
                    details.put("radiusM", Long.toString(Math.round(zone.radiusM())));
                    details.put("lat", r.lat().toString());
                    details.put("lon", r.lon().toString());
                    exits.add(() -> events.raise(tenant, carId, Events.LEFT_HOME_ZONE, r.time(), details, "seq-" + r.seq()));
                }
            }
            if (known != null && (!finished.isEmpty() || !exits.isEmpty())) {
                known = null; // read the stored progress before acting on it
                attempt--;
                continue;
            }
            exits.forEach(Runnable::run);
            if (p.lastSeq() == before) {
                return;
            }
            if (finished.isEmpty() && exits.isEmpty() && onlyTheSeqMoved(stored.map(Versioned::value).orElse(null), p)) {
                // A parked car without a trip: the records changed nothing segmentation keeps but the seq and the time,
                // which nothing reads while no trip is open, so the progress is not written (it would cost a request
                // per batch, and with two replicas a refused write and a read every other batch). Skipping is sound
                // only if the progress applied to is the car's current one: read from the store now, or this replica's
                // own copy if the batch follows it seq for seq (no record in between went to another replica, which
                // might have opened a trip). Otherwise read it first. A crash or the other replica applies these
                // records again from the stored seq: they change nothing there either.
                boolean follows = known != null
                        && bySeq.stream().mapToLong(TelemetryRecord::seq).filter(seq -> seq > before).min().orElse(0) == before + 1;
                if (known == null || follows) {
                    written.put(key, new Versioned<>(p, stored.get().version()));
                    return;
                }
                known = null;
                attempt--;
                continue;
            }
            List<Trip> appended = append(tenant, carId, finished);
            try {
                String version = stored.isPresent()
                        ? progresses.replace(carId, p, stored.get().version())
                        : progresses.create(carId, p);
                written.put(key, new Versioned<>(p, version));
                for (Trip trip : appended) {
                    try {
                        publisher.publishEvent(new TripEnded(tenant, trip));
                    } catch (RuntimeException e) {
                        LOG.warn("{}: a listener of trip {} of car {} failed: {}", tenant, trip.id(), carId, e.toString());
                    }
                }
                return;
            } catch (VersionConflictException | DocumentExistsException e) {
                written.forget(key);
                boolean unverified = known != null;
                known = null;
                if (unverified) {
                    attempt--; // a stale copy of our own, not a race with another writer
                } else if (attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * The progress after {@code others} and then {@code batch} are applied to {@code copy}, if every one of them follows
     * the one before seq for seq and together they change nothing but the seq and time ({@link #onlyTheSeqMoved}, nothing
     * finished, no home-zone exit); empty otherwise. Applied for that decision only, never for a write or a side effect.
     */
    private static Optional<TripProgress> parkedThrough(TripProgress copy, List<TelemetryRecord> others, List<TelemetryRecord> batch,
                                                        String carId, @Nullable HomeZone zone) {
        List<TelemetryRecord> all = new ArrayList<>(others);
        all.addAll(batch);
        all.sort(Comparator.comparingLong(TelemetryRecord::seq));
        TripProgress p = copy;
        long next = copy.lastSeq() + 1;
        for (TelemetryRecord r : all) {
            if (r.seq() <= p.lastSeq()) {
                continue; // stored before, or a duplicate of one in the list
            }
            if (r.seq() != next) {
                return Optional.empty();
            }
            TripSegmenter.Step step = TripSegmenter.apply(p, r, carId, zone);
            if (!step.finished().isEmpty() || step.leftHomeZone()) {
                return Optional.empty();
            }
            p = step.progress();
            next++;
        }
        return p.lastSeq() > copy.lastSeq() && onlyTheSeqMoved(copy, p) ? Optional.of(p) : Optional.empty();
    }

    /**
     * Whether {@code after} differs from {@code before} only in the seq and the time of the last record applied, with no
     * trip open before or after: what a parked car's record does (the same place, odometer, fuel and charge). A stored
     * progress is needed ({@code before} null: the car's first record is written).
     */
    static boolean onlyTheSeqMoved(@Nullable TripProgress before, TripProgress after) {
        return before != null && before.open() == null && after.open() == null
                && before.outsideHomeZone() == after.outsideHomeZone()
                && java.util.Objects.equals(before.lat(), after.lat()) && java.util.Objects.equals(before.lon(), after.lon())
                && java.util.Objects.equals(before.odometerKm(), after.odometerKm())
                && java.util.Objects.equals(before.fuelPct(), after.fuelPct())
                && java.util.Objects.equals(before.socPct(), after.socPct());
    }

    /** Appends the trips not appended yet; returns those. */
    private List<Trip> append(String tenant, String carId, List<Trip> finished) {
        if (finished.isEmpty()) {
            return List.of();
        }
        TenantStore store = stores.tenant(tenant);
        java.util.Set<String> appended = new java.util.HashSet<>();
        store.tail(stream(carId), finished.size()).forEach(line -> readable(line).ifPresent(t -> appended.add(t.id())));
        List<byte[]> lines = new ArrayList<>();
        List<Trip> fresh = new ArrayList<>();
        for (Trip trip : finished) {
            if (!appended.contains(trip.id())) {
                lines.add(StoreJson.write(trip));
                fresh.add(trip);
            }
        }
        store.appendAll(stream(carId), lines);
        return fresh;
    }

    /** Every trip of the car, oldest first, the ongoing one (if any) last; paths included. */
    public List<Trip> of(String tenant, String carId) {
        List<Trip> trips = new ArrayList<>();
        stores.tenant(tenant).forEach(stream(carId), line -> readable(line).ifPresent(trips::add));
        progress(tenant).get(carId).map(TripProgress::open)
                .ifPresent(open -> trips.add(TripSegmenter.finish(open, carId, null)));
        return trips;
    }

    /** Trips of the car that start in {@code [from, to)} (either may be null: unbounded), oldest first. */
    public List<Trip> startingIn(String tenant, String carId, @Nullable Instant from, @Nullable Instant to) {
        return of(tenant, carId).stream()
                .filter(t -> (from == null || !t.startTime().isBefore(from)) && (to == null || t.startTime().isBefore(to)))
                .toList();
    }

    public Optional<Trip> find(String tenant, String carId, String tripId) {
        return of(tenant, carId).stream().filter(t -> t.id().equals(tripId)).findFirst();
    }

    /**
     * The car's trips that start in {@code [from, to)} and their totals, for a rental receipt: distance from the
     * rule of {@link Trip#sourceOf} per trip, fuel and charge used summed over the trips that report them.
     */
    public TripTotals within(String tenant, String carId, Instant from, Instant to) {
        return totals(startingIn(tenant, carId, from, to));
    }

    /** The sums of {@code trips} (their paths left out). */
    static TripTotals totals(List<Trip> trips) {
        double distance = 0;
        double gps = 0;
        long duration = 0;
        Double max = null;
        Double fuel = null;
        Double soc = null;
        String source = null;
        for (Trip t : trips) {
            distance += t.bestDistanceKm();
            source = source == null || source.equals(t.distanceSource()) ? t.distanceSource() : MIXED;
            gps += t.gpsDistanceKm();
            duration += t.durationS();
            if (t.maxSpeedKmh() != null && (max == null || t.maxSpeedKmh() > max)) {
                max = t.maxSpeedKmh();
            }
            if (t.fuelUsedPct() != null) {
                fuel = (fuel == null ? 0 : fuel) + t.fuelUsedPct();
            }
            if (t.socUsedPct() != null) {
                soc = (soc == null ? 0 : soc) + t.socUsedPct();
            }
        }
        return new TripTotals(trips.stream().map(Trip::withoutPath).toList(), trips.size(), round(distance), source, round(gps), duration,
                max, fuel == null ? null : round(fuel), soc == null ? null : round(soc));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static Optional<Trip> readable(byte[] line) {
        try {
            return Optional.of(StoreJson.read(line, Trip.class));
        } catch (RuntimeException e) {
            // a torn line from a crash: the progress was not written after it, so the trip is appended again
            return Optional.empty();
        }
    }

    private JsonCollection<TripProgress> progress(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), "trip-progress", TripProgress.class);
    }

    private static String stream(String carId) {
        return "trips-" + carId;
    }
}
