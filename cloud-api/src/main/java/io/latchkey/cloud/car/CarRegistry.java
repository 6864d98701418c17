package io.latchkey.cloud.car;

import io.latchkey.cloud.ConflictException;
import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.NotFoundException;
import io.latchkey.cloud.store.DocumentExistsException;
import io.latchkey.cloud.store.JsonCollection;
import io.latchkey.cloud.store.Stores;
import io.latchkey.protocol.Ids;
import io.latchkey.protocol.command.HomeZone;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Cars, their devices and their latest state, in the tenant's store: {@code cars/{id}},
 * {@code devices/{deviceId}} and {@code car-states/{id}}.
 */
@Singleton
public class CarRegistry {
    private final Stores stores;
    private final SecureRandom random;
    private final Clock clock;
    private final Map<String, String> carByDevice = new ConcurrentHashMap<>();
    /** State changes this replica accepted and has not yet written, per tenant/car, oldest first. */
    /** One write of accepted changes at a time per car ({@link #updateStateSoon}). */
    private final Map<String, Object> writeLocks = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.ConcurrentLinkedQueue<UnaryOperator<CarState>>> unwritten =
            new ConcurrentHashMap<>();

    public CarRegistry(Stores stores, SecureRandom random, Clock clock) {
        this.stores = stores;
        this.random = random;
        this.clock = clock;
    }

    /**
     * @param id optional; generated when null
     * @throws InvalidRequestException for a missing or malformed field
     * @throws ConflictException       when the car id or the device is taken
     */
    public Car create(String tenant, String id, String name, String plate, String deviceId) {
        return create(tenant, id, name, plate, deviceId, null);
    }

    /**
     * @param vehicleProfile optional; one of {@link VehicleProfiles#BUILT_IN}
     * @throws InvalidRequestException for a missing or malformed field, or an unknown vehicle profile
     * @throws ConflictException       when the car id or the device is taken
     */
    public Car create(String tenant, String id, String name, String plate, String deviceId, String vehicleProfile) {
        Registration r = validated(new Registration(id, name, plate, deviceId, vehicleProfile), "");
        if (cars(tenant).get(r.id()).isPresent()) {
            throw new ConflictException("car " + r.id() + " exists");
        }
        return store(tenant, r);
    }

    /** One car to register: {@code id} optional (generated when null), {@code vehicleProfile} optional. */
    public record Registration(String id, String name, String plate, String deviceId, String vehicleProfile) {
    }

    /** Cars in one bulk registration, at most. */
    public static final int MAX_BATCH = 1000;

    /**
     * Registers several cars: every one is checked first (fields, duplicates within the list, a car id or device
     * already taken), so a bad or conflicting list changes nothing; then each is stored in list order, handed to
     * {@code registered} as soon as it is (for the caller to audit even if a later one fails).
     *
     * @throws InvalidRequestException for an empty or too long list, a missing or malformed field (naming the car's
     *         index), or a car id or device id given twice
     * @throws ConflictException when a car id or device is taken; if another registration took one between the
     *         check and the write, the cars before it stay registered (the message names how many)
     */
    public List<Car> createAll(String tenant, List<Registration> registrations, java.util.function.Consumer<Car> registered) {
        if (registrations == null || registrations.isEmpty() || registrations.size() > MAX_BATCH) {
            throw new InvalidRequestException("cars must hold 1.." + MAX_BATCH + " cars");
        }
        List<Registration> checked = new java.util.ArrayList<>(registrations.size());
        java.util.Set<String> ids = new java.util.HashSet<>();
        java.util.Set<String> devices = new java.util.HashSet<>();
        for (int i = 0; i < registrations.size(); i++) {
            Registration r = registrations.get(i);
            if (r == null) {
                throw new InvalidRequestException("cars[" + i + "] is missing");
            }
            r = validated(r, "cars[" + i + "].");
            if (!ids.add(r.id())) {
                throw new InvalidRequestException("cars[" + i + "].id " + r.id() + " is given twice");
            }
            if (!devices.add(r.deviceId())) {
                throw new InvalidRequestException("cars[" + i + "].deviceId " + r.deviceId() + " is given twice");
            }
            checked.add(r);
        }
        for (Registration r : checked) {
            if (cars(tenant).get(r.id()).isPresent()) {
                throw new ConflictException("car " + r.id() + " exists; nothing registered");
            }
            if (devices(tenant).get(r.deviceId()).isPresent()) {
                throw new ConflictException("device " + r.deviceId() + " is already fitted in another car; nothing registered");
            }
        }
        List<Car> stored = new java.util.ArrayList<>(checked.size());
        for (Registration r : checked) {
            try {
                stored.add(store(tenant, r));
            } catch (ConflictException e) {
                throw new ConflictException(e.getMessage() + " (registered meanwhile by another request); the "
                        + stored.size() + " car(s) before it in the list are registered");
            }
            registered.accept(stored.get(stored.size() - 1));
        }
        return stored;
    }

    /** The registration with its id (generated if none) and trimmed nothing yet; field errors name {@code prefix}. */
    private Registration validated(Registration r, String prefix) {
        String carId = r.id() == null ? "car-" + HexFormat.of().toHexDigits(random.nextInt()) : r.id();
        if (!Ids.isValid(carId)) {
            throw new InvalidRequestException(Ids.mustMatch(prefix + "id"));
        }
        if (!Ids.isValid(r.deviceId())) {
            throw new InvalidRequestException(Ids.isRequiredAndMustMatch(prefix + "deviceId"));
        }
        if (r.name() == null || r.name().isBlank() || r.name().length() > 200) {
            throw new InvalidRequestException(prefix + "name is required (at most 200 characters)");
        }
        if (r.plate() == null || r.plate().isBlank() || r.plate().length() > 32) {
            throw new InvalidRequestException(prefix + "plate is required (at most 32 characters)");
        }
        if (r.vehicleProfile() != null && !VehicleProfiles.isBuiltIn(r.vehicleProfile())) {
            throw new InvalidRequestException(prefix + "vehicleProfile '" + r.vehicleProfile()
                    + "' is not a known vehicle profile (known: " + String.join(", ", VehicleProfiles.BUILT_IN) + ")");
        }
        return new Registration(carId, r.name(), r.plate(), r.deviceId(), r.vehicleProfile());
    }

    /** Claims the device, then stores the car (both conditional creates). */
    private Car store(String tenant, Registration r) {
        try {
            devices(tenant).create(r.deviceId(), new DeviceClaim(r.id()));
        } catch (DocumentExistsException e) {
            throw new ConflictException("device " + r.deviceId() + " is already fitted in another car");
        }
        Car car = new Car(r.id(), r.name().strip(), r.plate().strip(), r.deviceId(), clock.instant(), r.vehicleProfile());
        try {
            cars(tenant).create(r.id(), car);
        } catch (DocumentExistsException e) {
            throw new ConflictException("car " + r.id() + " exists");
        }
        carByDevice.put(tenant + "/" + r.deviceId(), r.id());
        createdHere.computeIfAbsent(tenant, t -> ConcurrentHashMap.newKeySet()).add(r.id());
        return car;
    }

    public Optional<Car> find(String tenant, String carId) {
        if (!Ids.isValid(carId)) {
            return Optional.empty();
        }
        return cars(tenant).get(carId);
    }

    /** @throws NotFoundException for an unknown car */
    public Car require(String tenant, String carId) {
        return find(tenant, carId).orElseThrow(() -> new NotFoundException("unknown car " + carId));
    }

    /**
     * Sets or (with null) removes the car's home zone.
     *
     * @return the car as stored now
     * @throws NotFoundException for an unknown car
     */
    public Car setHomeZone(String tenant, String carId, HomeZone zone) {
        Car car = require(tenant, carId);
        Car stored = cars(tenant).upsert(carId, car, current -> current.withHomeZone(zone));
        zones.remove(tenant + "/" + carId);
        return stored;
    }

    /**
     * The car's home zone as telemetry ingestion uses it (null for none or an unknown car), read from the store at
     * most once per {@link #HOME_ZONE_REUSE} per car: ingestion asks for every batch, and the car's document is one
     * store request of the few a batch costs. A change made on this replica is seen at once; one made on another
     * replica after at most {@link #HOME_ZONE_REUSE}.
     */
    public HomeZone homeZoneForTelemetry(String tenant, String carId) {
        String key = tenant + "/" + carId;
        java.time.Instant now = clock.instant();
        CachedZone cached = zones.get(key);
        if (cached != null && now.isBefore(cached.until())) {
            return cached.zone();
        }
        HomeZone zone = find(tenant, carId).map(Car::homeZone).orElse(null);
        zones.put(key, new CachedZone(zone, now.plus(HOME_ZONE_REUSE)));
        return zone;
    }

    /**
     * How long ingestion reuses a car's home zone read from the store ({@link #homeZoneForTelemetry}): 5 minutes, so that
     * a parked car reporting every minute does not cost a read of its document with (nearly) every batch on each replica
     * (it did at 5 s); a zone set or removed on another replica applies to this one's ingestion within that (on this
     * replica at once).
     */
    public static final java.time.Duration HOME_ZONE_REUSE = java.time.Duration.ofMinutes(5);

    private record CachedZone(HomeZone zone, java.time.Instant until) {
    }

    private final Map<String, CachedZone> zones = new ConcurrentHashMap<>();

    public List<Car> all(String tenant) {
        return cars(tenant).all();
    }

    /** The ids of the tenant's cars: a listing, without reading each car's document as {@link #all} does. */
    public List<String> ids(String tenant) {
        return cars(tenant).ids();
    }

    /**
     * How long the fleet-wide sweeps reuse a listing of a tenant's cars ({@link #idsForSweeps}). A listing is the
     * store's most expensive request by far (one Azurite process: ~0.4 s of its one thread for a page of 5,000 names
     * at 10,000 blobs, in which every other request waits; docs/benchmarks-scale.md), and the sweeps of every
     * replica ran two a minute each. An hour: a car registered through another replica is swept there at once and
     * joins this replica's sweeps as soon as this replica sees it (its first telemetry, state or last will here), so
     * the listing only adds the cars this replica has never heard of.
     */
    public static final java.time.Duration SWEEP_IDS_FRESH_FOR = java.time.Duration.ofHours(1);

    private record Listing(java.time.Instant at, List<String> ids) {
    }

    private final Map<String, Listing> sweepListings = new ConcurrentHashMap<>();
    private final Map<String, java.util.Set<String>> createdHere = new ConcurrentHashMap<>();

    /**
     * The cars a fleet-wide sweep (offline cars, next bookings) goes through, sorted: the tenant's cars as listed at
     * most {@link #SWEEP_IDS_FRESH_FOR} ago, and every car registered through this replica or seen by it (stored or
     * read state) since it started. So a car registered through another replica that this one has not seen yet joins
     * its sweeps within that time; every other car at once. Not for answers to people ({@link #ids} lists).
     */
    public List<String> idsForSweeps(String tenant) {
        java.time.Instant now = clock.instant();
        Listing listing = sweepListings.get(tenant);
        if (listing == null || !now.isBefore(listing.at().plus(SWEEP_IDS_FRESH_FOR))) {
            listing = new Listing(now, cars(tenant).ids());
            sweepListings.put(tenant, listing);
        }
        java.util.TreeSet<String> ids = new java.util.TreeSet<>(listing.ids());
        ids.addAll(createdHere.getOrDefault(tenant, java.util.Set.of()));
        String prefix = tenant + "/";
        for (String key : seenHere.keySet()) {
            if (key.startsWith(prefix)) {
                ids.add(key.substring(prefix.length()));
            }
        }
        return List.copyOf(ids);
    }

    /**
     * The latest {@code lastSeen} of the car this replica has stored or read (null if none): the stored value is at
     * least this (it only moves forward; writes of one moment from two replicas may land a few milliseconds out of
     * order), so a sweep may take a car seen here recently as certainly not offline without reading its state.
     */
    public java.time.Instant lastSeenHere(String tenant, String carId) {
        return seenHere.get(tenant + "/" + carId);
    }

    private CarState noteSeen(String tenant, String carId, CarState state) {
        if (state != null && state.lastSeen() != null) {
            seenHere.merge(tenant + "/" + carId, state.lastSeen(), (a, b) -> a.isAfter(b) ? a : b);
        }
        return state;
    }

    private final Map<String, java.time.Instant> seenHere = new ConcurrentHashMap<>();

    /** The id of the car a device is fitted in. */
    public Optional<String> carOfDevice(String tenant, String deviceId) {
        String key = tenant + "/" + deviceId;
        String cached = carByDevice.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<String> carId = devices(tenant).get(deviceId).map(DeviceClaim::carId);
        carId.ifPresent(id -> carByDevice.put(key, id));
        return carId;
    }

    /** The stored state, with the changes this replica accepted but has not yet written applied on top. */
    public CarState state(String tenant, String carId) {
        CarState state = noteSeen(tenant, carId, states(tenant).get(carId).orElse(CarState.UNKNOWN));
        var pending = unwritten.get(tenant + "/" + carId);
        if (pending != null) {
            for (UnaryOperator<CarState> change : pending) {
                state = change.apply(state);
            }
        }
        return state;
    }

    public CarState updateState(String tenant, String carId, UnaryOperator<CarState> change) {
        return noteSeen(tenant, carId, states(tenant).upsert(carId, CarState.UNKNOWN, change));
    }

    /**
     * {@link #updateState} for telemetry ingestion, which changes a car's state with every batch: written on the
     * version this replica last wrote (or read) for the car, without reading it first; if another writer wrote since
     * (the other replica's batch, a command's answer, the car's online state), the store refuses the write and the
     * state is read and changed again, so the result is what {@link #updateState} gives. One store request per batch
     * instead of two while this replica is the car's only writer. Callers serialise calls per car (ingestion does,
     * per device).
     *
     * <p>A batch that changes nothing the state shows but {@code lastSeq} and {@code lastSeen} (a parked car's) is not
     * written while the stored {@code lastSeen} is less than {@link #LAST_SEEN_WRITTEN_WITHIN} older than the batch's:
     * the stored state then lags the car by at most that in {@code lastSeen} and {@code lastSeq} only. Skipped only
     * where the state it is applied to is the car's current one as far as telemetry goes: read now, or this replica's
     * own copy if the batch follows the last one this replica applied seq for seq ({@code firstSeq} is the lowest seq
     * the batch stored; a batch of the car that went to another replica in between may have changed what the state
     * shows). Otherwise the state is read first. A change by another writer (a command's answer, the car's online
     * state) that a later record of the car reverses therefore shows for at most {@link #LAST_SEEN_WRITTEN_WITHIN}
     * longer than before. {@link #lastSeenHere} keeps to the stored {@code lastSeen}.
     *
     * @param firstSeq the lowest seq the batch stored
     * @return the state with the batch applied (stored, or ahead of the stored one in {@code lastSeq}/{@code lastSeen})
     */
    public CarState updateStateFromTelemetry(String tenant, String carId, long firstSeq, UnaryOperator<CarState> change) {
        return updateStateFromTelemetry(tenant, carId, firstSeq, List.of(), change);
    }

    /**
     * {@link #updateStateFromTelemetry(String, String, long, UnaryOperator)}, told the car's records another replica
     * appended since this replica's last batch of the car ({@code TelemetryStore.Stored#appendedByOthers}): if each of
     * them, merged alone into this replica's copy, changes nothing the state shows, and with them the batch follows
     * that copy seq for seq, the copy is as current as a read would make it (the other replica stored what they changed:
     * nothing) and the batch may be skipped as one that follows.
     */
    public CarState updateStateFromTelemetry(String tenant, String carId, long firstSeq,
                                             List<io.latchkey.protocol.telemetry.TelemetryRecord> appendedByOthers,
                                             UnaryOperator<CarState> change) {
        String key = tenant + "/" + carId;
        JsonCollection<CarState> states = states(tenant);
        io.latchkey.cloud.store.Versioned<Known> entry = stateWritten.get(key);
        Known known = entry == null ? null : entry.value();
        if (known != null) {
            CarState changed = change.apply(known.applied());
            boolean follows = follows(known.applied(), appendedByOthers, firstSeq);
            boolean sameFields = changed.withoutSeqAndSeen().equals(known.applied().withoutSeqAndSeen());
            if (follows && sameFields && seenRecently(known.stored().value(), changed)) {
                remember(key, new Known(known.stored(), changed));
                return changed;
            }
            // nothing new but the seq and time, not skipped: after a batch that went to another replica, or with the
            // stored lastSeen due, while another replica also ingests the car: read first (the store may hold what that
            // batch changed, or another replica's recent lastSeen, and then there is nothing to write), rather than
            // write on a version that is likely stale (a refused write and a read)
            boolean readFirst = sameFields && (!follows || !appendedByOthers.isEmpty());
            if (!readFirst && !changed.equals(known.stored().value())) {
                try {
                    io.latchkey.cloud.store.Versioned<CarState> written =
                            new io.latchkey.cloud.store.Versioned<>(changed, states.replace(carId, changed, known.stored().version()));
                    remember(key, new Known(written, changed));
                    return noteSeen(tenant, carId, changed);
                } catch (io.latchkey.cloud.store.VersionConflictException e) {
                    // another writer got in between: read what it wrote
                }
            }
        }
        for (int attempt = 0; ; attempt++) {
            Optional<io.latchkey.cloud.store.Versioned<CarState>> current = states.find(carId);
            try {
                if (current.isEmpty()) {
                    CarState created = change.apply(CarState.UNKNOWN);
                    remember(key, new Known(new io.latchkey.cloud.store.Versioned<>(created, states.create(carId, created)),
                            created));
                    return noteSeen(tenant, carId, created);
                }
                CarState stored = current.get().value();
                noteSeen(tenant, carId, stored);
                CarState changed = change.apply(stored);
                if (changed.equals(stored) || changed.withoutSeqAndSeen().equals(stored.withoutSeqAndSeen())
                        && seenRecently(stored, changed)) {
                    remember(key, new Known(current.get(), changed));
                    return changed;
                }
                remember(key, new Known(new io.latchkey.cloud.store.Versioned<>(changed,
                        states.replace(carId, changed, current.get().version())), changed));
                return noteSeen(tenant, carId, changed);
            } catch (io.latchkey.cloud.store.VersionConflictException | DocumentExistsException e) {
                if (attempt >= 20) {
                    throw e;
                }
                Thread.onSpinWait();
            }
        }
    }

    /**
     * {@link #updateState} for the car's own state messages (connect, sleep, last will: {@code DeviceStateListener}):
     * written on the version of the state this replica last wrote or read for telemetry, without reading first (a
     * parked car's state is written seldom now, so that version is mostly still the stored one); a refused write reads
     * and applies the change again, as {@link #updateState} does. One request per connect or last will instead of two.
     */
    public CarState updateStateFromDevice(String tenant, String carId, UnaryOperator<CarState> change) {
        String key = tenant + "/" + carId;
        io.latchkey.cloud.store.Versioned<Known> entry = stateWritten.get(key);
        io.latchkey.cloud.store.Versioned<CarState> written = states(tenant).upsertFrom(carId,
                entry == null ? null : entry.value().stored(), CarState.UNKNOWN, change);
        remember(key, new Known(written, written.value()));
        return noteSeen(tenant, carId, written.value());
    }

    /**
     * How far the stored {@code lastSeen} of a car may lag the records ingested while it shows nothing else new
     * ({@link #updateStateFromTelemetry}); the offline sweep waits this much longer before it calls a car offline.
     */
    public static final java.time.Duration LAST_SEEN_WRITTEN_WITHIN = java.time.Duration.ofMinutes(2);

    /**
     * Whether a batch starting at {@code firstSeq} follows {@code applied} seq for seq once the records others appended
     * in between are counted, each of which must change nothing the state shows.
     */
    private static boolean follows(CarState applied, List<io.latchkey.protocol.telemetry.TelemetryRecord> appendedByOthers,
                                   long firstSeq) {
        if (applied.lastSeq() == null) {
            return false;
        }
        long next = applied.lastSeq() + 1;
        CarState shown = applied.withoutSeqAndSeen();
        for (io.latchkey.protocol.telemetry.TelemetryRecord r : appendedByOthers.stream()
                .filter(r -> r.seq() > applied.lastSeq())
                .sorted(java.util.Comparator.comparingLong(io.latchkey.protocol.telemetry.TelemetryRecord::seq)).toList()) {
            if (r.seq() != next || !applied.merge(r, applied.lastSeen()).withoutSeqAndSeen().equals(shown)) {
                return false;
            }
            next++;
        }
        return firstSeq == next;
    }

    /** Whether the stored lastSeen is less than {@link #LAST_SEEN_WRITTEN_WITHIN} older than the changed one. */
    private static boolean seenRecently(CarState stored, CarState changed) {
        return stored.lastSeen() != null && changed.lastSeen() != null
                && changed.lastSeen().isBefore(stored.lastSeen().plus(LAST_SEEN_WRITTEN_WITHIN));
    }

    private void remember(String key, Known known) {
        stateWritten.put(key, new io.latchkey.cloud.store.Versioned<>(known, known.stored().version()));
    }

    /** The state of a car as stored at a version, and as this replica applied telemetry on top of it since. */
    private record Known(io.latchkey.cloud.store.Versioned<CarState> stored, CarState applied) {
    }

    /** Car states as this replica last wrote or read them in {@link #updateStateFromTelemetry} (a car's is ~1 kB). */
    private final io.latchkey.cloud.store.LastWritten<Known> stateWritten =
            new io.latchkey.cloud.store.LastWritten<>(STATES_KEPT);

    /** Cars whose state {@link #updateStateFromTelemetry} keeps, the least recently ingested dropped first. */
    static final int STATES_KEPT = 20_000;

    /**
     * Makes a state change visible to this replica's reads at once and returns the write that stores it,
     * for the caller to run off its hot path (a command's answer must not wait for a disk). Until the
     * write is done, reads apply the change over the stored state, which is what the write will store:
     * the change must therefore give the same result when applied twice (setting fields does).
     *
     * <p>Writes store the changes in the order they were accepted, whatever order the writes run in: a
     * write stores every change accepted before its own that is not stored yet, then its own; a write
     * whose change a later write already stored does nothing. (Two command answers of one car, the first
     * written late, must not leave the first one's lock state in the store: an end refused, then accepted,
     * would show the car unlocked.) Writes of one car run one at a time on this replica.
     */
    public Runnable updateStateSoon(String tenant, String carId, UnaryOperator<CarState> change) {
        String key = tenant + "/" + carId;
        unwritten.compute(key, (k, q) -> {
            var queue = q == null ? new java.util.concurrent.ConcurrentLinkedQueue<UnaryOperator<CarState>>() : q;
            queue.add(change);
            return queue;
        });
        return () -> {
            Object lock = writeLocks.computeIfAbsent(key, k -> new Object());
            synchronized (lock) {
                var queue = unwritten.get(key);
                if (queue == null || !queue.contains(change)) {
                    return; // stored by the write of a change accepted after it
                }
                java.util.List<UnaryOperator<CarState>> batch = new java.util.ArrayList<>();
                for (UnaryOperator<CarState> c : queue) {
                    batch.add(c);
                    if (c == change) {
                        break;
                    }
                }
                try {
                    updateState(tenant, carId, s -> {
                        CarState next = s;
                        for (UnaryOperator<CarState> c : batch) {
                            next = c.apply(next);
                        }
                        return next;
                    });
                } finally {
                    unwritten.computeIfPresent(key, (k, q) -> {
                        batch.forEach(q::remove);
                        return q.isEmpty() ? null : q;
                    });
                }
            }
        };
    }

    private JsonCollection<Car> cars(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), "cars", Car.class);
    }

    private JsonCollection<DeviceClaim> devices(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), "devices", DeviceClaim.class);
    }

    private JsonCollection<CarState> states(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), "car-states", CarState.class);
    }
}
