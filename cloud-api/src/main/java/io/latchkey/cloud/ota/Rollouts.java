package io.latchkey.cloud.ota;

import io.latchkey.cloud.ConflictException;
import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.NotFoundException;
import io.latchkey.cloud.audit.AuditEntry;
import io.latchkey.cloud.audit.Auditor;
import io.latchkey.cloud.booking.BookingService;
import io.latchkey.cloud.car.Car;
import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.mqtt.BackendMqttClient;
import io.latchkey.cloud.store.DocumentExistsException;
import io.latchkey.cloud.store.JsonCollection;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.VersionConflictException;
import io.latchkey.cloud.store.Versioned;
import io.latchkey.cloud.tenant.Tenant;
import io.latchkey.cloud.tenant.TenantDirectory;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Ids;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.Topic;
import io.latchkey.protocol.ota.OtaOffer;
import io.latchkey.protocol.ota.OtaStatus;
import io.micronaut.core.convert.ConversionService;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rollouts of a release to a tenant's cars in waves (docs/ota.md §8). Every state lives in the tenant's store and every
 * change is one conditional write, so replicas may tick at once: the one whose write lands makes (and audits) the
 * change, the other sees it on its next read. The engine ({@link #tick}) runs every {@code latchkey.ota.tick} and after
 * each status a car sends.
 */
@Singleton
public class Rollouts {
    static final String COLLECTION = "rollouts";
    static final String DEVICES_PREFIX = "rollout-devices.";
    static final List<Integer> DEFAULT_WAVES = List.of(1, 10, 50, 100);
    static final int DEFAULT_THRESHOLD = 5;
    private static final Logger LOG = LoggerFactory.getLogger(Rollouts.class);
    private static final int MAX_REASON = 300;

    /** What the operator asks for. */
    record Request(String releaseId, Rollout.Target target, List<Integer> waves, Integer failureThreshold, String deviceTimeout) {
    }

    private final Stores stores;
    private final TenantDirectory tenants;
    private final CarRegistry cars;
    private final BookingService bookings;
    private final Releases releases;
    private final DownloadTickets tickets;
    private final BackendMqttClient mqtt;
    private final Auditor auditor;
    private final OtaConfig config;
    private final Clock clock;
    private final SecureRandom random;
    private final ExecutorService io;
    private final Set<String> requested = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public Rollouts(Stores stores, TenantDirectory tenants, CarRegistry cars, BookingService bookings, Releases releases,
                    DownloadTickets tickets, BackendMqttClient mqtt, Auditor auditor, OtaConfig config, Clock clock, SecureRandom random,
                    @Named(TaskExecutors.IO) ExecutorService io) {
        this.stores = stores;
        this.tenants = tenants;
        this.cars = cars;
        this.bookings = bookings;
        this.releases = releases;
        this.tickets = tickets;
        this.mqtt = mqtt;
        this.auditor = auditor;
        this.config = config;
        this.clock = clock;
        this.random = random;
        this.io = io;
    }

    // ---------------------------------------------------------------- operator side

    /** Starts a rollout: its cars are chosen and placed in waves now; the first wave is offered at once. */
    public Rollout create(String tenant, Request request, String actor) {
        if (request == null || request.releaseId() == null) {
            throw new InvalidRequestException("releaseId is required");
        }
        Release release = releases.find(tenant, request.releaseId())
                .orElseThrow(() -> new InvalidRequestException("unknown release " + request.releaseId()));
        List<Integer> waves = request.waves() == null ? DEFAULT_WAVES : List.copyOf(request.waves());
        checkWaves(waves);
        int threshold = request.failureThreshold() == null ? DEFAULT_THRESHOLD : request.failureThreshold();
        if (threshold < 0 || threshold > 100) {
            throw new InvalidRequestException("failureThreshold must be a percentage from 0 to 100");
        }
        Duration timeout = request.deviceTimeout() == null ? config.deviceTimeout() : duration(request.deviceTimeout());
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofDays(30)) > 0) {
            throw new InvalidRequestException("deviceTimeout must be from 1s to 30d");
        }
        String id = "ro-" + HexFormat.of().formatHex(randomBytes(8));
        List<Car> targeted = target(tenant, request.target(), id);
        if (targeted.isEmpty()) {
            throw new InvalidRequestException("the target holds no car with a device");
        }
        Instant now = clock.instant();
        JsonCollection<RolloutDevice> devices = deviceDocs(tenant, id);
        int n = targeted.size();
        int from = 0;
        for (int w = 0; w < waves.size(); w++) {
            int to = (int) Math.ceil(n * waves.get(w) / 100.0);
            for (int i = from; i < to; i++) {
                Car car = targeted.get(i);
                devices.create(car.id(), new RolloutDevice(car.id(), car.deviceId(), w, RolloutDevice.PENDING, null, null, now, null, null));
            }
            from = Math.max(from, to);
        }
        int first = firstWaveWithCars(tenant, id, waves.size(), 0);
        Rollout rollout = new Rollout(id, release.id(), release.version(), Rollout.State.RUNNING, null, now, actor,
                request.target(), waves, threshold, timeout.toSeconds(), first, now, now);
        rollouts(tenant).create(id, rollout);
        auditor.record(tenant, actor, "ota.rollout-created", "rollout/" + id + " release/" + release.id() + " cars/" + n, AuditEntry.OK);
        tick(tenant, id);
        return get(tenant, id);
    }

    public List<Rollout> list(String tenant) {
        return rollouts(tenant).all().stream().sorted(Comparator.comparing(Rollout::createdAt).reversed()).toList();
    }

    /** @throws NotFoundException for an unknown rollout (or another tenant's) */
    public Rollout get(String tenant, String id) {
        return (Ids.isValid(id) ? rollouts(tenant).get(id) : Optional.<Rollout>empty())
                .orElseThrow(() -> new NotFoundException("unknown rollout " + id));
    }

    public List<RolloutDevice> devices(String tenant, String id) {
        get(tenant, id);
        return deviceDocs(tenant, id).all().stream()
                .sorted(Comparator.comparingInt(RolloutDevice::wave).thenComparing(RolloutDevice::carId)).toList();
    }

    /** Pauses (RUNNING only): nothing more is offered and no wave ends until it resumes; statuses are still recorded. */
    public Rollout pause(String tenant, String id, String actor) {
        return operatorMove(tenant, id, actor, "pause", Set.of(Rollout.State.RUNNING), Rollout.State.PAUSED);
    }

    /** Resumes a paused rollout. */
    public Rollout resume(String tenant, String id, String actor) {
        Rollout r = operatorMove(tenant, id, actor, "resume", Set.of(Rollout.State.PAUSED), Rollout.State.RUNNING);
        tick(tenant, id);
        return get(tenant, r.id());
    }

    /**
     * Cancels a running, paused or halted rollout: nothing more is offered. A car already installing finishes on its own
     * (the offer cannot be taken back); its statuses are still recorded.
     */
    public Rollout cancel(String tenant, String id, String actor) {
        return operatorMove(tenant, id, actor, "cancel", Set.of(Rollout.State.RUNNING, Rollout.State.PAUSED, Rollout.State.HALTED),
                Rollout.State.CANCELLED);
    }

    private Rollout operatorMove(String tenant, String id, String actor, String verb, Set<Rollout.State> from, Rollout.State to) {
        get(tenant, id);
        for (int attempt = 0; attempt < 20; attempt++) {
            Versioned<Rollout> current = rollouts(tenant).find(id).orElseThrow();
            Rollout r = current.value();
            if (!from.contains(r.state())) {
                auditor.record(tenant, actor, "ota.rollout-" + verb, "rollout/" + id, AuditEntry.REFUSED);
                throw new ConflictException("cannot " + verb + " a rollout that is " + r.state());
            }
            Rollout next = r.with(to, to == Rollout.State.CANCELLED ? "cancelled by " + actor : r.haltReason(), clock.instant());
            try {
                rollouts(tenant).replace(id, next, current.version());
                auditor.record(tenant, actor, "ota.rollout-" + verb, "rollout/" + id, AuditEntry.OK);
                return next;
            } catch (VersionConflictException e) {
                Thread.onSpinWait();
            }
        }
        throw new ConflictException("rollout " + id + " is changing; try again");
    }

    // ---------------------------------------------------------------- the cars' side

    /** Records a verified status of a car (the listener has checked the device's signature). */
    void onStatus(String tenant, String deviceId, OtaStatus status) {
        if (!Ids.isValid(status.rolloutId()) || rollouts(tenant).get(status.rolloutId()).isEmpty()) {
            LOG.info("ota status of {} for unknown rollout ignored", deviceId);
            return;
        }
        Optional<String> carId = cars.carOfDevice(tenant, deviceId);
        JsonCollection<RolloutDevice> devices = deviceDocs(tenant, status.rolloutId());
        Optional<Versioned<RolloutDevice>> found = carId.flatMap(devices::find);
        if (found.isEmpty() || !found.get().value().deviceId().equals(deviceId)) {
            LOG.info("ota status of {} for a rollout that does not hold its car ignored", deviceId);
            return;
        }
        String next = status.state().name();
        String reason = status.reason() == null ? null
                : status.reason().length() > MAX_REASON ? status.reason().substring(0, MAX_REASON) : status.reason();
        for (int attempt = 0; attempt < 20; attempt++) {
            Versioned<RolloutDevice> current = devices.find(carId.get()).orElseThrow();
            RolloutDevice d = current.value();
            boolean finalNow = status.state().isFinal();
            if (d.terminal() && !RolloutDevice.TIMED_OUT.equals(d.state()) && !finalNow) {
                return; // a late progress report after the outcome
            }
            if (d.state().equals(next) && java.util.Objects.equals(d.reason(), reason)) {
                return;
            }
            RolloutDevice changed = new RolloutDevice(d.carId(), d.deviceId(), d.wave(), next, reason,
                    status.running() != null ? status.running() : d.version(), clock.instant(), d.offeredAt(), d.deferredSince());
            try {
                devices.replace(d.carId(), changed, current.version());
                if (finalNow) {
                    auditor.record(tenant, AuditEntry.SYSTEM, "ota.device-" + next.toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                            "rollout/" + status.rolloutId() + " car/" + d.carId() + " device/" + deviceId, AuditEntry.OK);
                }
                break;
            } catch (VersionConflictException e) {
                Thread.onSpinWait();
            }
        }
        requestTick(tenant, status.rolloutId());
    }

    /** Runs {@link #tick} soon on another thread; statuses arriving meanwhile share one run. */
    private void requestTick(String tenant, String rolloutId) {
        String key = tenant + "/" + rolloutId;
        if (!requested.add(key)) {
            return;
        }
        io.execute(() -> {
            requested.remove(key);
            try {
                tick(tenant, rolloutId);
            } catch (RuntimeException e) {
                LOG.warn("rollout {} of {} not advanced after a status: {}", rolloutId, tenant, e.toString());
            }
        });
    }

    // ---------------------------------------------------------------- the engine

    @Scheduled(fixedDelay = "${latchkey.ota.tick:30s}", initialDelay = "${latchkey.ota.tick:30s}")
    void scheduled() {
        for (Tenant tenant : tenants.all()) {
            try {
                for (Rollout r : rollouts(tenant.id()).all()) {
                    if (r.state() == Rollout.State.RUNNING) {
                        tick(tenant.id(), r.id());
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("rollouts of {} not advanced: {}", tenant.id(), e.toString());
            }
        }
    }

    /** One step of a running rollout: time-outs, offers and deferrals, then the current wave's outcome. */
    public synchronized void tick(String tenant, String id) {
        Optional<Versioned<Rollout>> found = rollouts(tenant).find(id);
        if (found.isEmpty() || found.get().value().state() != Rollout.State.RUNNING) {
            return;
        }
        Rollout rollout = found.get().value();
        Instant now = clock.instant();
        JsonCollection<RolloutDevice> devices = deviceDocs(tenant, id);
        Release release = releases.find(tenant, rollout.releaseId()).orElse(null);
        if (release == null) {
            finish(tenant, found.get(), Rollout.State.HALTED, "the release is gone");
            return;
        }
        List<RolloutDevice> all = new ArrayList<>();
        for (String carId : devices.ids()) {
            Optional<Versioned<RolloutDevice>> v = devices.find(carId);
            if (v.isEmpty()) {
                continue;
            }
            RolloutDevice d = v.get().value();
            if (d.wave() <= rollout.currentWave()) {
                d = step(tenant, rollout, release, devices, v.get(), now);
            }
            all.add(d);
        }
        List<RolloutDevice> wave = all.stream().filter(d -> d.wave() == rollout.currentWave()).toList();
        long failures = wave.stream().filter(RolloutDevice::failed).count();
        if (!wave.isEmpty() && failures * 100 > (long) rollout.failureThreshold() * wave.size()) {
            finish(tenant, found.get(), Rollout.State.HALTED, "wave " + rollout.currentWave() + ": " + failures + " of " + wave.size()
                    + " cars failed, rolled back or timed out (threshold " + rollout.failureThreshold() + " %)");
            return;
        }
        if (wave.stream().anyMatch(d -> !d.terminal() && !RolloutDevice.DEFERRED.equals(d.state()))) {
            return; // the wave is under way
        }
        int next = firstWave(all, rollout.waves().size(), rollout.currentWave() + 1);
        if (next < rollout.waves().size()) {
            try {
                rollouts(tenant).replace(id, rollout.atWave(next, now), found.get().version());
                auditor.record(tenant, AuditEntry.SYSTEM, "ota.wave-started", "rollout/" + id + " wave/" + next, AuditEntry.OK);
                tick(tenant, id);
            } catch (VersionConflictException e) {
                LOG.debug("rollout {} moved by another replica", id);
            }
            return;
        }
        if (all.stream().allMatch(RolloutDevice::terminal)) {
            long updated = all.stream().filter(d -> d.state().equals("UPDATED")).count();
            finish(tenant, found.get(), Rollout.State.COMPLETED, null);
            LOG.info("rollout {} of {} completed: {} of {} cars updated", id, tenant, updated, all.size());
        }
    }

    /** One car of a started wave: times out, is deferred, offered or offered again; returns it as it is now. */
    private RolloutDevice step(String tenant, Rollout rollout, Release release, JsonCollection<RolloutDevice> devices,
                               Versioned<RolloutDevice> v, Instant now) {
        RolloutDevice d = v.value();
        RolloutDevice next = d;
        boolean offer = false;
        String audit = null;
        if (d.terminal()) {
            return d;
        }
        if (d.inFlight()) {
            if (!now.isBefore(d.at().plus(rollout.deviceTimeout()))) {
                next = d.to(RolloutDevice.TIMED_OUT, "no answer within " + rollout.deviceTimeout() + " (last: " + d.state() + ")", now);
                audit = "ota.device-timed-out";
            } else if (RolloutDevice.OFFERED.equals(d.state()) && d.offeredAt() != null
                    && !now.isBefore(d.offeredAt().plus(config.reoffer()))) {
                next = new RolloutDevice(d.carId(), d.deviceId(), d.wave(), d.state(), d.reason(), d.version(), d.at(), now, d.deferredSince());
                offer = true;
            }
        } else {
            Optional<String> busy = bookings.busyWithin(tenant, d.carId(), config.bookingLead());
            if (busy.isPresent()) {
                Instant since = d.deferredSince() != null ? d.deferredSince() : now;
                if (!now.isBefore(since.plus(config.maxDeferral()))) {
                    next = d.to(RolloutDevice.TIMED_OUT, "DEFERRED for " + config.maxDeferral() + ": " + busy.get(), now);
                    audit = "ota.device-timed-out";
                } else if (!RolloutDevice.DEFERRED.equals(d.state()) || !busy.get().equals(d.reason())) {
                    next = new RolloutDevice(d.carId(), d.deviceId(), d.wave(), RolloutDevice.DEFERRED, busy.get(), d.version(), now,
                            d.offeredAt(), since);
                    audit = RolloutDevice.DEFERRED.equals(d.state()) ? null : "ota.device-deferred";
                }
            } else {
                next = new RolloutDevice(d.carId(), d.deviceId(), d.wave(), RolloutDevice.OFFERED, null, d.version(), now, now,
                        d.deferredSince());
                offer = true;
                audit = "ota.device-offered";
            }
        }
        if (next.equals(d)) {
            return d;
        }
        try {
            devices.replace(d.carId(), next, v.version());
        } catch (VersionConflictException e) {
            return devices.get(d.carId()).orElse(d); // a status or another replica got there first
        }
        if (audit != null) {
            auditor.record(tenant, AuditEntry.SYSTEM, audit, "rollout/" + rollout.id() + " car/" + d.carId() + " device/" + d.deviceId(),
                    AuditEntry.OK);
        }
        if (offer) {
            publishOffer(tenant, rollout, release, d.deviceId());
        }
        return next;
    }

    private void publishOffer(String tenant, Rollout rollout, Release release, String deviceId) {
        OtaOffer offer = new OtaOffer(rollout.id(), release.version(), tickets.url(tenant, release.id(), deviceId), release.size(),
                release.sha256(), release.manifest());
        mqtt.publish(Topic.of(tenant, deviceId, Channel.OTA), Json.write(offer), rollout.deviceTimeout()).whenComplete((ok, e) -> {
            if (e != null) {
                LOG.info("offer of rollout {} not published to {} (sent again after {}): {}", rollout.id(), deviceId, config.reoffer(),
                        e.toString());
            }
        });
    }

    private void finish(String tenant, Versioned<Rollout> current, Rollout.State state, String reason) {
        Rollout r = current.value();
        try {
            rollouts(tenant).replace(r.id(), r.with(state, reason, clock.instant()), current.version());
        } catch (VersionConflictException e) {
            return;
        }
        auditor.record(tenant, AuditEntry.SYSTEM, "ota.rollout-" + state.name().toLowerCase(java.util.Locale.ROOT), "rollout/" + r.id(),
                AuditEntry.OK);
        if (state == Rollout.State.HALTED) {
            LOG.warn("rollout {} of {} halted: {}", r.id(), tenant, reason);
        }
    }

    // ---------------------------------------------------------------- helpers

    /**
     * The target's cars with a device: a list in the order given, others in the rollout's own order (a hash of rollout and
     * car: no car is always first).
     */
    private List<Car> target(String tenant, Rollout.Target target, String rolloutId) {
        if (target == null) {
            throw new InvalidRequestException("target is required: {\"all\":true}, {\"tag\":\"...\"}, {\"cars\":[...]} or {\"percent\":n}");
        }
        int given = (Boolean.TRUE.equals(target.all()) ? 1 : 0) + (target.tag() != null ? 1 : 0) + (target.cars() != null ? 1 : 0)
                + (target.percent() != null ? 1 : 0);
        if (given != 1) {
            throw new InvalidRequestException("target must name exactly one of all, tag, cars, percent");
        }
        List<Car> withDevice = cars.all(tenant).stream().filter(c -> c.deviceId() != null && Topic.isValidDeviceId(c.deviceId())).toList();
        List<Car> chosen;
        if (target.cars() != null) {
            if (target.cars().isEmpty() || target.cars().size() > 100_000) {
                throw new InvalidRequestException("target.cars must list at least one car");
            }
            Map<String, Car> byId = withDevice.stream().collect(Collectors.toMap(Car::id, c -> c));
            Set<String> ids = new LinkedHashSet<>(target.cars());
            chosen = new ArrayList<>();
            for (String carId : ids) {
                Car car = byId.get(carId);
                if (car == null) {
                    throw new InvalidRequestException("target.cars: unknown car, or one without a device: " + carId);
                }
                chosen.add(car);
            }
            return chosen; // in the order given: the operator chose who goes first
        } else if (target.tag() != null) {
            chosen = withDevice.stream().filter(c -> target.tag().equals(c.vehicleProfile())).toList();
        } else if (target.percent() != null) {
            if (target.percent() < 1 || target.percent() > 100) {
                throw new InvalidRequestException("target.percent must be from 1 to 100");
            }
            List<Car> ordered = shuffled(withDevice, rolloutId);
            chosen = ordered.subList(0, (int) Math.ceil(ordered.size() * target.percent() / 100.0));
        } else {
            chosen = withDevice;
        }
        return shuffled(chosen, rolloutId);
    }

    private static List<Car> shuffled(List<Car> list, String seed) {
        TreeMap<String, Car> byHash = new TreeMap<>();
        for (Car c : list) {
            byHash.put(hash(seed + "/" + c.id()) + c.id(), c);
        }
        return List.copyOf(byHash.values());
    }

    private static String hash(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void checkWaves(List<Integer> waves) {
        if (waves.isEmpty() || waves.size() > 20) {
            throw new InvalidRequestException("waves must list 1 to 20 cumulative percentages");
        }
        int previous = 0;
        for (Integer w : waves) {
            if (w == null || w <= previous || w > 100) {
                throw new InvalidRequestException("waves must be ascending percentages from 1 to 100");
            }
            previous = w;
        }
        if (previous != 100) {
            throw new InvalidRequestException("the last wave must be 100 (the whole target)");
        }
    }

    /** A duration as configuration values are written ({@code 30m}, {@code 2h}, {@code 1d}, ISO-8601 {@code PT30M}). */
    static Duration duration(String text) {
        Optional<Duration> d = text == null ? Optional.empty() : ConversionService.SHARED.convert(text.strip(), Duration.class);
        return d.orElseThrow(() -> new InvalidRequestException("deviceTimeout must be a duration like 30m, 2h or 1d"));
    }

    private int firstWaveWithCars(String tenant, String id, int waves, int from) {
        return firstWave(deviceDocs(tenant, id).all(), waves, from);
    }

    private static int firstWave(List<RolloutDevice> all, int waves, int from) {
        for (int w = from; w < waves; w++) {
            int index = w;
            if (all.stream().anyMatch(d -> d.wave() == index)) {
                return w;
            }
        }
        return waves;
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private JsonCollection<Rollout> rollouts(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), COLLECTION, Rollout.class);
    }

    JsonCollection<RolloutDevice> deviceDocs(String tenant, String id) {
        return new JsonCollection<>(stores.tenant(tenant), DEVICES_PREFIX + id, RolloutDevice.class);
    }
}
