package io.latchkey.cloud.command;

import io.latchkey.cloud.ConflictException;
import io.latchkey.cloud.ForbiddenException;
import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.NotFoundException;
import io.latchkey.cloud.UnavailableException;
import io.latchkey.cloud.audit.AuditEntry;
import io.latchkey.cloud.audit.Auditor;
import io.latchkey.cloud.booking.BookingService;
import io.latchkey.cloud.booking.CarAccess;
import io.latchkey.cloud.car.Car;
import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.car.CarState;
import io.latchkey.cloud.identity.Caller;
import io.latchkey.cloud.live.LiveFeed;
import io.latchkey.cloud.live.LiveState;
import io.latchkey.cloud.metrics.CommandMetrics;
import io.latchkey.cloud.mqtt.CommandMqttClient;
import io.latchkey.cloud.mqtt.security.DeviceKeys;
import io.latchkey.cloud.store.DocumentExistsException;
import io.latchkey.cloud.store.JsonCollection;
import io.latchkey.cloud.store.StoreJson;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.VersionConflictException;
import io.latchkey.cloud.store.Versioned;
import io.latchkey.cloud.tenant.CommandKeys;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Ids;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.Topic;
import io.latchkey.protocol.command.Command;
import io.latchkey.protocol.command.CommandAck;
import io.latchkey.protocol.command.CommandOutcome;
import io.latchkey.protocol.command.CommandType;
import io.latchkey.protocol.command.HomeZone;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends signed commands to cars and waits, without blocking a thread, for their acknowledgement.
 *
 * <p>A command lives exactly as long as the caller waits ({@code latchkey.commands.timeout}): its
 * {@code expiresAt} is the moment the HTTP call gives up, so a car that receives it later refuses it.
 * A retried id is answered from the recorded result without publishing again; a retry after a timeout
 * publishes the same id again, which the car answers from its first result if it did see it.
 */
@Singleton
public class CommandService {
    private static final Logger LOG = LoggerFactory.getLogger(CommandService.class);
    /** The audit outcome of a command not sent because the car said it is asleep until a known time. */
    public static final String CAR_ASLEEP = "CAR_ASLEEP";

    private final CarRegistry cars;
    private final CarAccess access;
    private final CommandKeys keys;
    private final CommandMqttClient mqtt;
    private final PendingCommands pending;
    private final Stores stores;
    private final CommandConfig config;
    private final Clock clock;
    private final ExecutorService io;
    private final Auditor auditor;
    private final CommandMetrics metrics;
    private final BookingService bookings;
    private final LiveFeed live;
    private final DeviceKeys deviceKeys;
    private final OrphanedCommands orphans;
    private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong resends = new AtomicLong();

    public CommandService(CarRegistry cars, CarAccess access, CommandKeys keys, CommandMqttClient mqtt,
                          PendingCommands pending, Stores stores, CommandConfig config, Clock clock,
                          @Named(TaskExecutors.IO) ExecutorService io, Auditor auditor, CommandMetrics metrics,
                          BookingService bookings, LiveFeed live, DeviceKeys deviceKeys, OrphanedCommands orphans) {
        this.live = live;
        this.orphans = orphans;
        this.deviceKeys = deviceKeys;
        this.cars = cars;
        this.access = access;
        this.keys = keys;
        this.mqtt = mqtt;
        this.pending = pending;
        this.stores = stores;
        this.config = config;
        this.clock = clock;
        this.io = io;
        this.auditor = auditor;
        this.metrics = metrics;
        this.bookings = bookings;
    }

    /**
     * Checks that the caller may command the car, then sends the command (or answers a retried id).
     *
     * @return completes with the car's answer, or exceptionally with {@link CommandTimeoutException}
     * @throws io.latchkey.cloud.NotFoundException for an unknown car
     * @throws ForbiddenException                  when {@link CarAccess} refuses the caller the car
     */
    public CompletableFuture<CommandResult> submit(String tenant, String carId, Caller caller, String typeName,
                                                   String requestedId) {
        return submit(tenant, carId, caller, typeName, requestedId, new CommandPhases());
    }

    CompletableFuture<CommandResult> submit(String tenant, String carId, Caller caller, String typeName,
                                            String requestedId, CommandPhases phases) {
        return submit(tenant, carId, caller, typeName, requestedId, phases, Optional.empty());
    }

    /**
     * As {@link #submit(String, String, Caller, String, String)}, with the checks' reads already started for this
     * request ({@link CommandReadAhead}, while the caller's session was checked); used only if they are for this car
     * and caller.
     */
    CompletableFuture<CommandResult> submit(String tenant, String carId, Caller caller, String typeName,
                                            String requestedId, CommandPhases phases, Optional<CheckReads> readAhead) {
        String userId = caller.userId();
        Car car;
        Optional<String> refused;
        CarState state = null;
        if (!stores.writtenByThisProcessOnly() && Ids.isValid(carId)) {
            // A shared store: the car, the caller's right to it (a borrower's bookings) and the car's state are
            // independent reads, issued together (one round trip instead of three); the decisions are taken in the
            // same order as below, and nothing is cached.
            CheckReads reads = readAhead.filter(r -> r.isFor(tenant, carId, caller))
                    .orElseGet(() -> CheckReads.start(tenant, carId, caller, cars, access, io));
            car = joined(reads.car()).orElseThrow(() -> new NotFoundException("unknown car " + carId));
            refused = joined(reads.refusal());
            state = joined(reads.state());
        } else {
            car = cars.require(tenant, carId);
            refused = access.refusal(tenant, carId, caller);
        }
        if (refused.isPresent()) {
            auditor.record(tenant, userId, "car.command", "car/" + carId, AuditEntry.REFUSED);
            throw new ForbiddenException(refused.get());
        }
        CommandType type = parseType(typeName);
        if (IMMOBILISER.contains(type) && !caller.actsForTenant()) {
            auditor.record(tenant, userId, "car." + type.name().toLowerCase(java.util.Locale.ROOT), "car/" + carId,
                    AuditEntry.REFUSED);
            throw new ForbiddenException(type + " is for operators and tenant admins");
        }
        String id = requestedId == null ? UUID.randomUUID().toString() : requestedId;
        if (!Ids.isValid(id)) {
            throw new InvalidRequestException(Ids.mustMatch("id"));
        }
        phases.checked();
        if (state != null) {
            // the id's record is not read first: the PENDING record's conditional create (If-None-Match: *) is
            // the existence check; only an id that exists is read, and answered as dispatch answers it
            return send(tenant, car, type, null, id, userId, null, !caller.actsForTenant(), state, true, phases);
        }
        return dispatch(tenant, car, type, id, userId, !caller.actsForTenant(), phases);
    }

    /** The value of a read issued in parallel, or its own exception (a store failure, a 404). */
    private static <T> T joined(CompletableFuture<T> read) {
        try {
            return read.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Asks the car to end a rental: it checks, from its own signals, doors and boot closed, ignition off,
     * known to stand still, key in its holder (where it has one) and, with a {@code zone}, a current GNSS
     * fix inside it; if all hold it locks itself and answers {@code EXECUTED} with the lock state,
     * otherwise {@code REJECTED} {@code RETURN_CHECKS_FAILED} with {@link CommandResult#failed()} naming
     * every failed check, and nothing changed. Recorded and audited ({@code car.end_rental}) like every
     * command; each call is a new command (the checks must run again on the car's state now).
     *
     * <p>Whether {@code actorId} may end the rental is the caller's decision (the booking's end route:
     * its borrower, an operator, or the backend itself at the booking's end), so the car-access rule is
     * not applied here.
     *
     * @param zone where the car must be parked, or null for anywhere
     * @return completes with the car's answer, or exceptionally with {@link CommandTimeoutException}
     *         (no answer in time; the command expired unexecuted) or {@link UnavailableException} (broker)
     * @throws io.latchkey.cloud.NotFoundException for an unknown car
     */
    public CompletableFuture<CommandResult> endRental(String tenant, String carId, String actorId, HomeZone zone) {
        Car car = cars.require(tenant, carId);
        return send(tenant, car, CommandType.END_RENTAL, zone, UUID.randomUUID().toString(), actorId, null, false, null,
                false, new CommandPhases());
    }
    /** Answers a known id from its record or the call sending it, or sends the command. */
    private CompletableFuture<CommandResult> dispatch(String tenant, Car car, CommandType type, String id, String userId,
                                                      boolean borrower, CommandPhases phases) {
        String carId = car.id();
        Optional<Versioned<CommandRecord>> existing = records(tenant).find(id);
        if (existing.isEmpty()) {
            return send(tenant, car, type, null, id, userId, null, borrower, null, false, phases);
        }
        return answerKnown(tenant, car, type, id, userId, borrower, existing.get(), phases);
    }

    /** An id whose record exists: a conflict, the recorded answer, the call sending it, or a new attempt at it. */
    private CompletableFuture<CommandResult> answerKnown(String tenant, Car car, CommandType type, String id,
                                                         String userId, boolean borrower,
                                                         Versioned<CommandRecord> found, CommandPhases phases) {
        String carId = car.id();
        Optional<Versioned<CommandRecord>> existing = Optional.of(found);
        CommandRecord previous = existing.get().value();
        if (!previous.carId().equals(carId) || previous.type() != type || !previous.actor().equals(userId)) {
            throw new ConflictException("command id " + id + " was already used for another command");
        }
        InFlight running = inFlight.get(key(tenant, id));
        if (running != null) {
            if (!running.response().isDone()) {
                return running.response();
            }
            // answered a moment ago and its outcome is being recorded: wait for that, then read it
            running.settled().exceptionally(e -> null).join();
            existing = records(tenant).find(id);
            if (existing.isEmpty()) {
                throw new IllegalStateException("command " + id + " vanished from the store");
            }
            previous = existing.get().value();
        }
        if (previous.status().isAnswer()) {
            return CompletableFuture.completedFuture(CommandResult.of(previous, elapsed(previous)));
        }
        return send(tenant, car, type, null, id, userId, existing.get().version(), borrower, null, false, phases);
    }

    /**
     * Sends {@code IMMOBILISE} (or {@code MOBILISE}) on the backend's own behalf, for the tenant policy "immobilised
     * when idle" ({@code actorId} is {@code system}). The car's interlock decides: it immobilises only when it knows it
     * stands still with the ignition off, else answers {@code REJECTED} with {@link CommandResult#failed()}
     * ({@code MOVING}, {@code SPEED_UNKNOWN}, {@code IGNITION_ON}); nothing here forces it. Recorded and audited
     * ({@code car.immobilise}, {@code car.mobilise}) like every command; each call is a new command.
     *
     * @return completes with the car's answer, or exceptionally with {@link CommandTimeoutException} or
     *         {@link UnavailableException}
     * @throws io.latchkey.cloud.NotFoundException for an unknown car
     */
    public CompletableFuture<CommandResult> immobiliser(String tenant, String carId, String actorId, boolean immobilise) {
        Car car = cars.require(tenant, carId);
        return send(tenant, car, immobilise ? CommandType.IMMOBILISE : CommandType.MOBILISE, null, UUID.randomUUID().toString(),
                actorId, null, false, null, false, new CommandPhases());
    }

    /**
     * An answer nobody here is waiting for: recorded if the command had timed out (a late answer); remembered for
     * {@link OrphanedCommands} if it is still {@code PENDING} (the replica waiting for it may be gone).
     */
    void recordLateAnswer(String tenant, String deviceId, CommandAck ack, Instant receivedAt) {
        if (ack.commandId() == null || !Ids.isValid(ack.commandId())) {
            return;
        }
        Optional<Versioned<CommandRecord>> known = records(tenant).find(ack.commandId());
        if (known.isEmpty()) {
            recordAnswerWithoutRecord(tenant, deviceId, ack, receivedAt);
        }
        known.ifPresent(found -> {
            CommandRecord record = found.value();
            if (record.deviceId().equals(deviceId) && record.status() == CommandStatus.PENDING) {
                orphans.answerSeen(tenant, record, ack, receivedAt);
            }
            if (record.deviceId().equals(deviceId) && record.status() == CommandStatus.TIMED_OUT) {
                CommandRecord answered = record.answered(ack, clock.instant(), receivedAt);
                try {
                    records(tenant).replace(record.id(), answered, found.version());
                    log(tenant, answered);
                    audit(tenant, answered, "LATE_");
                } catch (VersionConflictException e) {
                    // another replica recorded it first
                }
            }
        });
    }

    /**
     * Claims the id in this process, records the command as {@code PENDING}, publishes it and waits for the car.
     *
     * <p>Where this process is the store's only writer ({@link Stores#writtenByThisProcessOnly()}, the file
     * store), the claim in {@link #inFlight} already excludes every other request for the id, so the
     * {@code PENDING} record (a document forced to disk) is written while the command travels instead of before:
     * the car's answer no longer waits on that fsync. The outcome is written after it, and until then a retry of
     * the id joins this call. Where replicas share the store, the conditional write of the record is what keeps
     * two replicas from sending one id, so it stays before the publish, written together with the attempt's tracking
     * entry ({@link #writePending}).
     */
    /**
     * The car answers a command id this backend holds no record of. Where the {@code PENDING} record is written
     * while the command travels (this process the store's only writer), a crash of the backend in the moment
     * between publishing and that write leaves a command the car may have carried out without a record; the
     * car's signed answer, queued by the broker for the backend's session until it is back, is then the evidence:
     * a {@code command-log} line and an audit record ({@code car.command}, outcome
     * {@code ANSWERED_WITHOUT_RECORD_<outcome>}; the actor and the type are unknown). A refusal moved nothing and
     * a duplicate answers an id already answered, so neither is recorded; nor an id this process is sending.
     */
    private void recordAnswerWithoutRecord(String tenant, String deviceId, CommandAck ack, Instant receivedAt) {
        if (!stores.writtenByThisProcessOnly() || ack.outcome() == CommandOutcome.REJECTED
                || ack.duplicate() || inFlight.containsKey(key(tenant, ack.commandId()))) {
            return;
        }
        String carId = cars.carOfDevice(tenant, deviceId).orElse(null);
        CommandRecord record = new CommandRecord(ack.commandId(), carId, deviceId, null, AuditEntry.SYSTEM, null, null,
                CommandStatus.of(ack.outcome()), ack.reason(), ack.lockState(), ack.doorsOpen(), false, clock.instant(), ack.failed(),
                receivedAt);
        LOG.warn("device {} of tenant {} answered command {} ({}), of which there is no record", deviceId, tenant,
                ack.commandId(), ack.outcome());
        try {
            log(tenant, record);
        } catch (RuntimeException e) {
            LOG.error("could not log the answer to unrecorded command {} of tenant {}", ack.commandId(), tenant, e);
        }
        try {
            auditor.record(tenant, AuditEntry.SYSTEM, "car.command", "car/" + carId + " command/" + ack.commandId(),
                    "ANSWERED_WITHOUT_RECORD_" + record.status().name());
        } catch (RuntimeException e) {
            LOG.error("could not audit the answer to unrecorded command {} of tenant {}", ack.commandId(), tenant, e);
        }
    }

    /**
     * @param borrower  a non-operator's command: an executed UNLOCK starts their rental ({@link BookingService#started})
     * @param state     the car's state read with the car in this request, or null to read it here
     * @param unchecked the id's record was not read ({@code previousVersion} null): the PENDING record's conditional
     *                  create is the existence check, and an id found to exist is answered as {@link #dispatch} does
     */
    private CompletableFuture<CommandResult> send(String tenant, Car car, CommandType type, HomeZone zone, String id,
                                                  String userId, String previousVersion, boolean borrower,
                                                  CarState state, boolean unchecked, CommandPhases phases) {
        Instant now = clock.instant();
        CarState current = state != null ? state : cars.state(tenant, car.id());
        Optional<Instant> asleep = current.asleepUntil(now);
        if (asleep.isPresent()) {
            // off the air until then: say so at once instead of letting the command time out (docs/api.md)
            auditor.record(tenant, userId, "car." + type.name().toLowerCase(java.util.Locale.ROOT), "car/" + car.id(),
                    CAR_ASLEEP);
            Duration wait = Duration.between(now, asleep.get());
            return CompletableFuture.failedFuture(new UnavailableException("car " + car.id() + " is asleep ("
                    + current.powerState() + "), next wake at " + asleep.get()
                    + "; the command was not sent", null, wait));
        }
        Duration timeout = config.timeout();
        Instant issuedAt = clock.instant();
        Command command = new Command(id, tenant, car.deviceId(), type, issuedAt, issuedAt.plus(timeout), userId, zone);
        CommandRecord record = CommandRecord.pending(command, car.id());
        String key = key(tenant, id);
        CompletableFuture<CommandResult> response = new CompletableFuture<>();
        CompletableFuture<Void> settled = new CompletableFuture<>();
        InFlight entry = new InFlight(response, settled, car.id(), type, userId);
        InFlight running = inFlight.putIfAbsent(key, entry);
        if (running != null) {
            if (!running.isFor(car.id(), type, userId)) {
                throw new ConflictException("command id " + id + " was already used for another command");
            }
            if (!running.response().isDone() || !running.response().isCompletedExceptionally()) {
                return running.response(); // still waiting for the car, or the car's answer: the first result
            }
            // timed out or not sent a moment ago, its record not yet written: wait for it, then send again
            running.settled().exceptionally(e -> null).join();
            return dispatch(tenant, car, type, id, userId, borrower, phases);
        }
        readDeviceKeyAhead(tenant, car.deviceId());
        boolean writeWhileSending = stores.writtenByThisProcessOnly();
        // the PENDING record's version, so that the outcome replaces it without reading it again
        java.util.concurrent.atomic.AtomicReference<String> pendingVersion = new java.util.concurrent.atomic.AtomicReference<>();
        CompletableFuture<Void> pendingWritten;
        try {
            if (writeWhileSending) {
                // Claimed in this process; the store may have changed between the caller's read and the claim
                // (an earlier request for the id concluding just then): the record read must still hold.
                Optional<String> version = records(tenant).find(id).map(Versioned::version);
                if (!version.equals(Optional.ofNullable(previousVersion))) {
                    throw new ConflictException("command " + id + " is being sent by another request; retry");
                }
                pendingWritten = CompletableFuture.runAsync(
                        () -> pendingVersion.set(writePending(tenant, record, previousVersion)), io);
            } else {
                pendingVersion.set(writePending(tenant, record, previousVersion));
                pendingWritten = CompletableFuture.completedFuture(null);
            }
        } catch (IdTaken e) {
            inFlight.remove(key, entry);
            if (!unchecked) {
                throw new ConflictException("command " + id + " is being sent by another request; retry");
            }
            // the id was used before (a retry): read its record now and answer as for a known id
            Optional<Versioned<CommandRecord>> existing = records(tenant).find(id);
            if (existing.isEmpty()) {
                throw new ConflictException("command " + id + " is being sent by another request; retry");
            }
            return answerKnown(tenant, car, type, id, userId, borrower, existing.get(), phases);
        } catch (RuntimeException e) {
            inFlight.remove(key, entry);
            throw e;
        }
        phases.recorded();
        long started = System.nanoTime();
        CompletableFuture<PendingCommands.Answer> answer = pending.register(tenant, id, car.deviceId());
        CompletableFuture<Void> published;
        Topic topic = Topic.of(tenant, car.deviceId(), Channel.CMD);
        byte[] signed;
        try {
            signed = Json.write(keys.signer(tenant).sign(command));
            published = mqtt.publish(topic, signed, timeout);
            phases.published();
        } catch (RuntimeException e) {
            pending.forget(tenant, id);
            inFlight.remove(key, entry);
            throw e;
        }
        answer.thenRun(phases::answered);
        resend(topic, signed, answer, config.copiesAt(), 1, timeout);
        CompletableFuture<Concluded> concluded = published
                .thenCompose(done -> answer)
                .completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS)
                // an I/O thread: the answer may complete on the MQTT client's event loop; concluding writes
                .handleAsync((ack, error) -> conclude(tenant, record, ack, error, started), io);
        concluded.thenApply(Concluded::resultOrThrow).whenComplete((result, error) -> {
            logIfSlow(tenant, record, phases, error);
            if (error != null) {
                response.completeExceptionally(error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error);
            } else {
                response.complete(result);
            }
        });
        // The caller gets the car's answer as soon as it arrives; the bookkeeping writes follow on an I/O
        // thread (the outcome after the PENDING record), and until they are done a retry of this id joins
        // this call instead of sending again.
        pendingWritten.exceptionally(e -> {
            LOG.error("could not record command {} of tenant {} as pending; its outcome is recorded when it is known",
                    id, tenant, e);
            return null;
        }).thenCombine(concluded, (written, c) -> c)
                .thenAcceptAsync(c -> {
                    record(tenant, c, pendingVersion.get());
                    if (borrower) {
                        startRental(tenant, c.record());
                    }
                }, io)
                .whenComplete((done, error) -> {
                    inFlight.remove(key, entry);
                    if (error != null) {
                        settled.completeExceptionally(error);
                    } else {
                        settled.complete(null);
                    }
                });
        return response;
    }

    /**
     * A command whose answer took {@code latchkey.commands.slow-after} or more inside this replica is logged with
     * where its time went ({@link CommandPhases}); {@code 0} logs none.
     */
    /**
     * The car's answer is verified with its device key: read it (and the tenant's revocations) now, beside the
     * {@code PENDING} record's write and while the command travels, so that the answer does not wait on the device's
     * record and certificate being read (the key cache holds a key 60 s; an answer arriving while this read is under
     * way waits for it instead of reading again). Started after the publish, the read was often still under way when
     * the answer came, and the answer then read the record a second time (docs/benchmarks-scale.md, "The way back").
     */
    private void readDeviceKeyAhead(String tenant, String deviceId) {
        try {
            io.execute(() -> {
                try {
                    deviceKeys.activeKey(tenant, deviceId);
                } catch (RuntimeException e) {
                    LOG.debug("device key of {} not read ahead: {}", deviceId, e.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down: the answer reads the key itself
        }
    }

    private void logIfSlow(String tenant, CommandRecord record, CommandPhases phases, Throwable error) {
        long end = System.nanoTime();
        Duration slowAfter = config.slowAfter();
        if (slowAfter.isZero() || phases.totalMs() < slowAfter.toMillis()) {
            return;
        }
        LOG.info("slow command {} ({}) to car {} of tenant {}: {} ms{}: {}", record.id(), record.type(), record.carId(),
                tenant, String.format(java.util.Locale.ROOT, "%.1f", phases.totalMs()),
                error == null ? "" : " (" + (error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error).getClass().getSimpleName() + ")", phases.describe(end));
    }

    /**
     * Sends copy {@code n} of a signed command at its time ({@link CommandConfig#copiesAt()}) unless the answer came:
     * a command or answer lost on the way (with a broker's session) costs a resend. The car answers a repeated id
     * from its first result, so no copy acts twice. A copy the broker does not take is only logged: the next one, or
     * the caller's timeout, follows.
     */
    private void resend(Topic topic, byte[] signed, CompletableFuture<?> answer, List<Duration> copiesAt, int n,
                        Duration lifetime) {
        if (n >= copiesAt.size()) {
            return;
        }
        long delay = copiesAt.get(n).minus(copiesAt.get(n - 1)).toMillis();
        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS, io).execute(() -> {
            if (answer.isDone()) {
                return;
            }
            resends.incrementAndGet();
            mqtt.publish(topic, signed, lifetime.minus(copiesAt.get(n))).whenComplete((ok, e) -> {
                if (e != null) {
                    LOG.debug("copy {} of a command on {} not sent: {}", n + 1, topic, e.toString());
                }
            });
            resend(topic, signed, answer, copiesAt, n + 1, lifetime);
        });
    }

    /** How many copies of commands were sent again because no answer had come (since start). */
    public long resends() {
        return resends.get();
    }

    /**
     * The {@code PENDING} record: a new document, or the timed-out one of an earlier attempt at this version; the
     * attempt is tracked too, so that any replica concludes it should this one go away ({@link OrphanedCommands}).
     *
     * <p>Where this process is the store's only writer the entry is written first, then the record (this runs while
     * the command travels). On a shared store both are written <em>together</em>, before the publish: one store round
     * trip on the command's path instead of two. The command is published only once both are stored, so a crash
     * between them never leaves a sent command untracked: with the entry alone there is nothing to conclude (no
     * record, nothing sent; the sweep drops the entry); with the record alone the command was not sent either, and
     * its {@code PENDING} record waits for a retry of the id, which sends it again (docs/storage.md, "Replicas").
     * An entry the store refuses (an error, not a crash) concludes the record {@code NOT_SENT} and fails the call.
     */
    private String writePending(String tenant, CommandRecord record, String previousVersion) {
        if (stores.writtenByThisProcessOnly()) {
            orphans.track(tenant, record);
            try {
                return createOrReplace(tenant, record, previousVersion);
            } catch (IdTaken e) {
                orphans.untrack(tenant, record);
                throw e;
            }
        }
        CompletableFuture<Void> tracked = CompletableFuture.runAsync(() -> orphans.track(tenant, record), io);
        String version;
        try {
            version = createOrReplace(tenant, record, previousVersion);
        } catch (RuntimeException e) {
            // not written (the id exists, or the store failed): the entry, once stored, is not needed
            tracked.thenRun(() -> orphans.untrack(tenant, record));
            throw e instanceof IdTaken ? e : notStored(record, e);
        }
        try {
            tracked.join();
        } catch (CompletionException e) {
            try {
                records(tenant).replace(record.id(), record.withStatus(CommandStatus.NOT_SENT, clock.instant()), version);
            } catch (RuntimeException again) {
                LOG.warn("command {} of tenant {} not sent, and its PENDING record not concluded: {}", record.id(),
                        tenant, again.toString());
            }
            throw notStored(record, e.getCause() != null ? e.getCause() : e);
        }
        return version;
    }

    /** The store did not take the command's entry or record: nothing was sent (503, retry). */
    private static RuntimeException notStored(CommandRecord record, Throwable cause) {
        if (cause instanceof io.latchkey.cloud.store.StoreException) {
            return new UnavailableException("the store did not take the record of command " + record.id()
                    + "; nothing was sent, retry", cause);
        }
        return cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
    }

    private String createOrReplace(String tenant, CommandRecord record, String previousVersion) {
        try {
            if (previousVersion == null) {
                return records(tenant).create(record.id(), record);
            } else {
                return records(tenant).replace(record.id(), record, previousVersion);
            }
        } catch (DocumentExistsException | VersionConflictException e) {
            throw new IdTaken();
        }
    }

    /** The PENDING record's conditional write was refused: the id exists (or changed) in the store. */
    private static final class IdTaken extends RuntimeException {
        IdTaken() {
            super(null, null, false, false);
        }
    }

    /** A command this replica is sending: the caller's answer, the moment its outcome is recorded, and what it is. */
    private record InFlight(CompletableFuture<CommandResult> response, CompletableFuture<Void> settled, String carId,
                            CommandType type, String actor) {
        boolean isFor(String car, CommandType commandType, String userId) {
            return carId.equals(car) && type == commandType && actor.equals(userId);
        }
    }

    /**
     * What became of a sent command: the record to store, the answer or the error for the caller, and
     * the car-state write still to do (or null).
     */
    private record Concluded(CommandRecord record, CommandResult result, RuntimeException error, Runnable stateWrite) {
        Concluded(CommandRecord record, CommandResult result, RuntimeException error) {
            this(record, result, error, null);
        }

        CommandResult resultOrThrow() {
            if (error != null) {
                throw error;
            }
            return result;
        }
    }

    private Concluded conclude(String tenant, CommandRecord sent, PendingCommands.Answer answer, Throwable error,
                               long started) {
        CommandAck ack = answer == null ? null : answer.ack();
        pending.forget(tenant, sent.id());
        Instant now = clock.instant();
        if (error != null) {
            return new Concluded(sent.withStatus(CommandStatus.NOT_SENT, now), null,
                    new UnavailableException("the MQTT broker did not take the command", error));
        }
        if (ack == null) {
            return new Concluded(sent.withStatus(CommandStatus.TIMED_OUT, now), null,
                    new CommandTimeoutException(sent.id(), "command " + sent.id() + ": car " + sent.carId()
                            + " did not answer within " + config.timeout().toMillis()
                            + " ms; the command expired unexecuted at " + sent.expiresAt()));
        }
        CommandRecord answered = sent.answered(ack, now, answer.receivedAt());
        Runnable stateWrite = null;
        boolean immobiliser = ack.outcome() == CommandOutcome.EXECUTED
                && (sent.type() == CommandType.IMMOBILISE || sent.type() == CommandType.MOBILISE);
        if (!ack.duplicate() && (ack.lockState() != null || immobiliser)) {
            // Visible to reads before the caller has the answer (a GET of the car right after it shows the
            // new lock state); written to the store after answering. An executed IMMOBILISE/MOBILISE also
            // sets whether the car is immobilised.
            java.util.function.UnaryOperator<io.latchkey.cloud.car.CarState> lockChange =
                    s -> ack.lockState() != null ? s.withLock(ack.lockState(), ack.doorsOpen(), now) : s;
            java.util.function.UnaryOperator<io.latchkey.cloud.car.CarState> change = immobiliser
                    ? s -> lockChange.apply(s).withImmobilised(sent.type() == CommandType.IMMOBILISE, now) : lockChange;
            stateWrite = cars.updateStateSoon(tenant, sent.carId(), change);
            // the feed knows the car from its connect (device state) or telemetry; else one read, change included
            live.publishChange(tenant, sent.carId(), LiveState.COMMAND, change, () -> cars.state(tenant, sent.carId()));
        }
        return new Concluded(answered, CommandResult.of(answered,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)), null, stateWrite);
    }

    /** @param pendingVersion the version of the PENDING record this replica wrote, or null if unknown */
    private void record(String tenant, Concluded concluded, String pendingVersion) {
        if (concluded.stateWrite() != null) {
            try {
                concluded.stateWrite().run();
            } catch (RuntimeException e) {
                LOG.warn("could not update the state of car {} of tenant {}", concluded.record().carId(), tenant, e);
            }
        }
        CommandRecord record = concluded.record();
        metrics.concluded(tenant, record.type().name(), record.status().name(), concluded.result() != null
                ? Duration.ofMillis(concluded.result().elapsedMs()) : Duration.between(record.issuedAt(), clock.instant()));
        try {
            update(tenant, record, pendingVersion);
            // recorded: nothing left for the sweep (if this write failed, the sweep concludes the PENDING record)
            orphans.untrack(tenant, record);
        } catch (RuntimeException e) {
            LOG.error("could not record the outcome of command {} of tenant {}", record.id(), tenant, e);
        }
        audit(tenant, record, "");
    }

    /** The first executed unlock of a borrower within their booking starts the rental; after the answer, never failing it. */
    private void startRental(String tenant, CommandRecord record) {
        if (record.type() != CommandType.UNLOCK || record.status() != CommandStatus.EXECUTED) {
            return;
        }
        try {
            bookings.started(tenant, record.carId(), record.actor(), record.answeredAt() != null ? record.answeredAt() : clock.instant());
        } catch (RuntimeException e) {
            LOG.error("could not start the booking of car {} of tenant {} after command {}", record.carId(), tenant, record.id(), e);
        }
    }

    /** Unlocks and locks are business-critical: each outcome goes to the tenant's audit trail. */
    private void audit(String tenant, CommandRecord record, String outcomePrefix) {
        try {
            auditor.record(tenant, record.actor(), "car." + record.type().name().toLowerCase(java.util.Locale.ROOT),
                    "car/" + record.carId() + " command/" + record.id(), outcomePrefix + record.status().name());
        } catch (RuntimeException e) {
            LOG.error("could not audit command {} of tenant {}", record.id(), tenant, e);
        }
    }

    /**
     * Stores the outcome over the record: with the PENDING record's version known, one conditional replace (not a read
     * and a write); if the record changed since (another replica's sweep concluded it), or the version is unknown, the
     * outcome replaces whatever is there, as before.
     */
    private void update(String tenant, CommandRecord next, String pendingVersion) {
        boolean replaced = false;
        if (pendingVersion != null) {
            try {
                records(tenant).replace(next.id(), next, pendingVersion);
                replaced = true;
            } catch (VersionConflictException e) {
                // changed since it was written: replaced below whatever it is now
            }
        }
        if (!replaced) {
            records(tenant).upsert(next.id(), next, current -> next);
        }
        log(tenant, next);
    }

    private void log(String tenant, CommandRecord record) {
        stores.tenant(tenant).append("command-log", StoreJson.write(record));
    }

    private static long elapsed(CommandRecord record) {
        return record.answeredAt() == null ? 0 : Duration.between(record.issuedAt(), record.answeredAt()).toMillis();
    }

    /** What the command route sends; END_RENTAL goes through {@link #endRental} (the booking's end). */
    private static CommandType parseType(String name) {
        if ("UNLOCK".equals(name)) {
            return CommandType.UNLOCK;
        }
        if ("LOCK".equals(name)) {
            return CommandType.LOCK;
        }
        if ("IMMOBILISE".equals(name)) {
            return CommandType.IMMOBILISE;
        }
        if ("MOBILISE".equals(name)) {
            return CommandType.MOBILISE;
        }
        throw new InvalidRequestException("type must be UNLOCK, LOCK, IMMOBILISE or MOBILISE");
    }

    /** Commands that cut or release the starter: operators and tenant admins only. */
    private static final java.util.Set<CommandType> IMMOBILISER = java.util.EnumSet.of(CommandType.IMMOBILISE,
            CommandType.MOBILISE);

    private JsonCollection<CommandRecord> records(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), "commands", CommandRecord.class);
    }

    private static String key(String tenant, String id) {
        return tenant + "/" + id;
    }
}
