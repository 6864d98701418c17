package io.latchkey.cloud.command;

import io.latchkey.cloud.audit.Auditor;
import io.latchkey.cloud.store.DocumentExistsException;
import io.latchkey.cloud.store.JsonCollection;
import io.latchkey.cloud.store.StoreJson;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.VersionConflictException;
import io.latchkey.cloud.store.Versioned;
import io.latchkey.cloud.tenant.Tenant;
import io.latchkey.cloud.tenant.TenantDirectory;
import io.latchkey.protocol.command.CommandAck;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Concludes the commands whose sending replica went away (SIGKILL, crash, power loss) before it recorded their
 * outcome: without this their {@code commands/{id}} record would say {@code PENDING} for ever.
 *
 * <p>Every attempt to send a command is tracked, before the command is published, by an entry in the
 * tenant's {@value #INDEX} collection (written before its {@code PENDING} record by a store's only writer, together
 * with it on a shared store: a crash between the two never leaves a sent command untracked, since the publish waits
 * for both) named after the command id and the attempt's {@code issuedAt}; the replica
 * that concludes the attempt deletes it. Every {@code latchkey.commands.sweep-interval} each replica looks at the
 * entries left (only commands in flight, and orphans): an attempt whose lifetime ended more than
 * {@code latchkey.commands.orphan-after} ago and whose record still says {@code PENDING} at that {@code issuedAt}
 * is concluded with a conditional write (so two replicas never both conclude it): with the car's answer if this
 * replica saw one (acknowledgements reach every replica; one that was not waiting remembers the answer to a
 * {@code PENDING} command, {@link #answerSeen}), else {@code TIMED_OUT} (no answer within its lifetime; it has
 * expired, so the car refuses any later copy). It is appended to the {@code command-log} and audited with the
 * outcome prefixed {@code ORPHANED_} (e.g. {@code car.unlock ORPHANED_TIMED_OUT}). An answer that arrives after
 * that is recorded as for any timed-out command ({@code LATE_EXECUTED}, ...), and so is one this replica saw while
 * another replica's sweep, which had not seen it, concluded the command {@code TIMED_OUT}.
 */
@Singleton
public class OrphanedCommands {
    /** The tenant collection of attempts in flight (and orphans): one small document per attempt. */
    public static final String INDEX = "commands-pending";
    private static final Logger LOG = LoggerFactory.getLogger(OrphanedCommands.class);

    /** One attempt to send a command: what the sweep needs to find its record and know when it expired. */
    record Attempt(String id, Instant issuedAt, Instant expiresAt) {
        String name() {
            return id + "." + issuedAt.getEpochSecond() + String.format(Locale.ROOT, "%09d", issuedAt.getNano());
        }
    }

    private record SeenAnswer(String tenant, String id, String deviceId, Instant issuedAt, Instant expiresAt, CommandAck ack,
                              Instant receivedAt) {
    }

    private final Stores stores;
    private final TenantDirectory tenants;
    private final PendingCommands pending;
    private final Auditor auditor;
    private final Clock clock;
    private final Duration after;
    private final Map<String, SeenAnswer> seen = new ConcurrentHashMap<>();

    public OrphanedCommands(Stores stores, TenantDirectory tenants, PendingCommands pending, Auditor auditor, Clock clock,
                            @Value("${latchkey.commands.orphan-after:30s}") Duration after) {
        if (after == null || after.isNegative()) {
            throw new ConfigurationException("latchkey.commands.orphan-after must be 0 or more, got " + after);
        }
        this.stores = stores;
        this.tenants = tenants;
        this.pending = pending;
        this.auditor = auditor;
        this.clock = clock;
        this.after = after;
    }

    /** Tracks an attempt before the command is published (an entry left without a record is dropped by the sweep). */
    void track(String tenant, CommandRecord record) {
        Attempt attempt = new Attempt(record.id(), record.issuedAt(), record.expiresAt());
        try {
            stores.tenant(tenant).create(INDEX, attempt.name(), StoreJson.write(attempt));
        } catch (DocumentExistsException e) {
            // the same attempt tracked already
        }
    }

    /** The attempt's outcome is recorded: nothing left to conclude. Never fails the caller. */
    void untrack(String tenant, CommandRecord record) {
        try {
            stores.tenant(tenant).delete(INDEX, new Attempt(record.id(), record.issuedAt(), record.expiresAt()).name());
        } catch (RuntimeException e) {
            LOG.warn("could not untrack command {} of tenant {} (the sweep will): {}", record.id(), tenant, e.toString());
        }
    }

    /**
     * A verified answer to a command still {@code PENDING} that this replica is not waiting for: the replica that
     * is may record it, or may be gone; kept until the sweep can tell.
     */
    void answerSeen(String tenant, CommandRecord pendingRecord, CommandAck ack, Instant receivedAt) {
        seen.put(key(tenant, pendingRecord.id()), new SeenAnswer(tenant, pendingRecord.id(), pendingRecord.deviceId(),
                pendingRecord.issuedAt(), pendingRecord.expiresAt(), ack, receivedAt));
    }

    @Scheduled(fixedDelay = "${latchkey.commands.sweep-interval:30s}", initialDelay = "${latchkey.commands.sweep-interval:30s}")
    void scheduled() {
        try {
            int concluded = sweep();
            if (concluded > 0) {
                LOG.info("concluded {} command(s) left pending by a replica that went away", concluded);
            }
        } catch (RuntimeException e) {
            LOG.warn("the orphaned-command sweep failed: {}", e.toString());
        }
    }

    /** One pass over every tenant at the clock's now; returns how many commands this pass concluded. */
    public int sweep() {
        Instant now = clock.instant();
        int concluded = 0;
        for (Tenant tenant : tenants.all()) {
            try {
                concluded += sweep(tenant.id(), now);
            } catch (RuntimeException e) {
                LOG.warn("orphaned-command sweep of tenant {} failed: {}", tenant.id(), e.toString());
            }
        }
        for (SeenAnswer answer : List.copyOf(seen.values())) {
            if (!now.isBefore(answer.expiresAt().plus(after))) {
                seen.remove(key(answer.tenant(), answer.id()), answer);
                try {
                    recordIfConcludedWithout(answer, now);
                } catch (RuntimeException e) {
                    LOG.warn("could not record a late answer to command {} of tenant {}: {}", answer.id(), answer.tenant(),
                            e.toString());
                }
            }
        }
        return concluded;
    }

    /**
     * An answer this replica saw while the command was {@code PENDING}, once its sender should have recorded it: if
     * another replica's sweep concluded the command {@code TIMED_OUT} without it, it is recorded now as a late answer
     * ({@code LATE_...}); an answered record (its sender recorded it) needs nothing.
     */
    private void recordIfConcludedWithout(SeenAnswer answer, Instant now) {
        JsonCollection<CommandRecord> records = new JsonCollection<>(stores.tenant(answer.tenant()), "commands", CommandRecord.class);
        Optional<Versioned<CommandRecord>> found = records.find(answer.id());
        if (found.isEmpty()) {
            return;
        }
        CommandRecord record = found.get().value();
        if (record.status() != CommandStatus.TIMED_OUT || !record.issuedAt().equals(answer.issuedAt())
                || !record.deviceId().equals(answer.deviceId())) {
            return;
        }
        CommandRecord answered = record.answered(answer.ack(), now, answer.receivedAt());
        try {
            records.replace(record.id(), answered, found.get().version());
        } catch (VersionConflictException e) {
            return; // recorded by another replica meanwhile
        }
        logAndAudit(answer.tenant(), answered, "LATE_");
    }

    private void logAndAudit(String tenant, CommandRecord record, String prefix) {
        stores.tenant(tenant).append("command-log", StoreJson.write(record));
        auditor.record(tenant, record.actor(), "car." + record.type().name().toLowerCase(Locale.ROOT),
                "car/" + record.carId() + " command/" + record.id(), prefix + record.status().name());
    }

    private int sweep(String tenant, Instant now) {
        JsonCollection<Attempt> index = new JsonCollection<>(stores.tenant(tenant), INDEX, Attempt.class);
        JsonCollection<CommandRecord> records = new JsonCollection<>(stores.tenant(tenant), "commands", CommandRecord.class);
        int concluded = 0;
        for (String name : index.ids()) {
            Optional<Attempt> found = index.get(name);
            if (found.isEmpty()) {
                continue;
            }
            Attempt attempt = found.get();
            if (now.isBefore(attempt.expiresAt().plus(after)) || pending.isWaiting(tenant, attempt.id())) {
                continue;
            }
            Optional<Versioned<CommandRecord>> record = records.find(attempt.id());
            if (record.isPresent() && record.get().value().status() == CommandStatus.PENDING
                    && attempt.issuedAt().equals(record.get().value().issuedAt())) {
                CommandRecord left = record.get().value();
                SeenAnswer answer = seen.remove(key(tenant, left.id()));
                CommandRecord done = answer != null && answer.deviceId().equals(left.deviceId())
                        && answer.issuedAt().equals(left.issuedAt())
                        ? left.answered(answer.ack(), now, answer.receivedAt()) : left.withStatus(CommandStatus.TIMED_OUT, now);
                try {
                    records.replace(left.id(), done, record.get().version());
                } catch (VersionConflictException e) {
                    continue; // concluded or sent again meanwhile: the next pass sees which
                }
                concluded++;
                logAndAudit(tenant, done, "ORPHANED_");
            }
            index.delete(name);
        }
        return concluded;
    }

    private static String key(String tenant, String id) {
        return tenant + "/" + id;
    }
}
