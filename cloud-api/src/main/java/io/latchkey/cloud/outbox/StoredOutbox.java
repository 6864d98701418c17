package io.latchkey.cloud.outbox;

import io.latchkey.cloud.pii.PiiCipher;
import io.latchkey.cloud.pii.PiiKeyException;
import io.latchkey.cloud.store.JsonCollection;
import io.latchkey.cloud.store.StoreConfig;
import io.latchkey.cloud.store.StoreException;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.VersionConflictException;
import io.latchkey.cloud.store.Versioned;
import io.latchkey.protocol.Topic;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The outbox in the tenants' shared stores ({@code latchkey.store.type=azure}), so that any replica delivers what
 * another queued, and each message once: one document {@code outbox/{id}} per message in the tenant's own store
 * (it holds PII), created when the message is sent. Before handing a message to the relay a replica claims it with
 * a conditional write of {@code claimedBy}/{@code claimedUntil} (a lease of {@link #LEASE}); a replica that dies
 * holding the lease leaves the message to the others when it ends. Delivered: the document is deleted (the address
 * and text leave the store). Refused for good: kept with {@code state: failed} for operators. The address, subject
 * and body are sealed under the recipient's data key ({@link PiiCipher}, record {@code outbox/{id}}), as in
 * {@link FileOutbox}: a message of a terminated user no longer opens and is skipped.
 */
@Singleton
@Requires(property = "latchkey.store.type", value = StoreConfig.AZURE)
public class StoredOutbox implements Outbox, OutboxQueue {
    static final String COLLECTION = "outbox";
    static final String PENDING = "pending";
    /** Longer than one hand-over to the relay may take (its time-outs), so a lease never ends under a live delivery. */
    static final Duration LEASE = Duration.ofMinutes(2);

    /** One kept message ({@code sealed}: its address, subject and body), with its state and the current claim on it. */
    record Kept(String id, String userId, String kind, Instant createdAt, String sealed, String state,
                @Nullable Integer reply, @Nullable String claimedBy, @Nullable Instant claimedUntil) {
        Kept claimedBy(String replica, Instant until) {
            return new Kept(id, userId, kind, createdAt, sealed, state, reply, replica, until);
        }

        Kept failed(int replyCode) {
            return new Kept(id, userId, kind, createdAt, sealed, FileOutbox.FAILED, replyCode, claimedBy, claimedUntil);
        }
    }

    /** The sealed part of a message. */
    record Sealed(String to, String subject, String body) {
    }

    private final Stores stores;
    private final Clock clock;
    private final SecureRandom random;
    private final String replica;
    private final PiiCipher cipher;
    private final Wakeups newMessages = new Wakeups();

    public StoredOutbox(Stores stores, Clock clock, SecureRandom random, PiiCipher cipher) {
        this.stores = stores;
        this.cipher = cipher;
        this.clock = clock;
        this.random = random;
        byte[] id = new byte[8];
        random.nextBytes(id);
        this.replica = "r-" + HexFormat.of().formatHex(id);
    }

    private JsonCollection<Kept> kept(String tenant) {
        Topic.requireTenantId(tenant);
        return new JsonCollection<>(stores.tenant(tenant), COLLECTION, Kept.class);
    }

    @Override
    public String send(String tenant, Message message) {
        byte[] id = new byte[16];
        random.nextBytes(id);
        OutboxMessage m = OutboxMessage.of("m-" + HexFormat.of().formatHex(id), message, clock.instant());
        try {
            String sealed = cipher.seal(tenant, m.userId(), "outbox/" + m.id(),
                    new String(io.latchkey.protocol.Json.write(new Sealed(m.to(), m.subject(), m.body())),
                            java.nio.charset.StandardCharsets.UTF_8));
            kept(tenant).create(m.id(), new Kept(m.id(), m.userId(), m.kind(), m.createdAt(), sealed, PENDING, null, null, null));
        } catch (StoreException e) {
            throw new OutboxException("cannot write to the outbox of " + tenant, e);
        }
        newMessages.signal();
        return m.id();
    }

    @Override
    public void eraseRecipient(String tenant, String userId) {
        JsonCollection<Kept> kept = kept(tenant);
        try {
            for (String id : kept.ids()) {
                kept.get(id).filter(k -> userId.equals(k.userId())).ifPresent(k -> kept.delete(id));
            }
        } catch (StoreException e) {
            throw new OutboxException("cannot erase from the outbox of " + tenant, e);
        }
    }

    /** Every message of the tenant still kept (pending or failed) that still opens, oldest first. */
    public List<OutboxMessage> messages(String tenant) {
        return all(tenant).stream().flatMap(k -> open(tenant, k).stream()).toList();
    }

    /** Empty for a message whose recipient's key is gone (erased by termination). */
    private Optional<OutboxMessage> open(String tenant, Kept k) {
        try {
            Sealed pii = io.latchkey.protocol.Json.read(cipher.open(tenant, k.userId(), "outbox/" + k.id(), k.sealed())
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8), Sealed.class);
            return Optional.of(new OutboxMessage(k.id(), k.userId(), pii.to(), k.kind(), pii.subject(), pii.body(), k.createdAt()));
        } catch (PiiKeyException e) {
            return Optional.empty();
        }
    }

    private List<Kept> all(String tenant) {
        JsonCollection<Kept> kept = kept(tenant);
        List<Kept> all = new ArrayList<>();
        for (String id : kept.ids()) {
            kept.get(id).ifPresent(all::add);
        }
        all.sort(Comparator.comparing(Kept::createdAt).thenComparing(Kept::id));
        return all;
    }

    @Override
    public List<String> tenants() {
        return stores.platform().list("tenants");
    }

    @Override
    public List<OutboxMessage> pending(String tenant) {
        return all(tenant).stream().filter(k -> PENDING.equals(k.state())).flatMap(k -> open(tenant, k).stream()).toList();
    }

    @Override
    public boolean claim(String tenant, String id) {
        JsonCollection<Kept> kept = kept(tenant);
        Optional<Versioned<Kept>> current = kept.find(id);
        if (current.isEmpty() || !PENDING.equals(current.get().value().state())) {
            return false;
        }
        Kept k = current.get().value();
        Instant now = clock.instant();
        boolean free = k.claimedBy() == null || replica.equals(k.claimedBy()) || k.claimedUntil() == null
                || !k.claimedUntil().isAfter(now);
        if (!free) {
            return false;
        }
        try {
            kept.replace(id, k.claimedBy(replica, now.plus(LEASE)), current.get().version());
            return true;
        } catch (VersionConflictException e) {
            return false;
        }
    }

    @Override
    public void markDelivered(String tenant, String id) {
        try {
            kept(tenant).delete(id);
        } catch (StoreException e) {
            throw new OutboxException("cannot record the delivery of " + id, e);
        }
    }

    @Override
    public void markFailed(String tenant, String id, int replyCode) {
        JsonCollection<Kept> kept = kept(tenant);
        try {
            for (int attempt = 0; attempt < 20; attempt++) {
                Optional<Versioned<Kept>> current = kept.find(id);
                if (current.isEmpty()) {
                    return;
                }
                Kept k = current.get().value();
                try {
                    kept.replace(id, k.failed(replyCode), current.get().version());
                    return;
                } catch (VersionConflictException e) {
                    Thread.onSpinWait();
                }
            }
            throw new OutboxException("cannot record the refusal of " + id + ": it keeps changing", null);
        } catch (StoreException e) {
            throw new OutboxException("cannot record the refusal of " + id, e);
        }
    }

    @Override
    public void forgetDelivered(String tenant) {
        // delivered messages are deleted at once
    }

    @Override
    public boolean awaitNew(Duration timeout) throws InterruptedException {
        return newMessages.await(timeout);
    }

    @Override
    public void wake() {
        newMessages.signal();
    }

    @Override
    public String describe() {
        return "the tenants' stores (collection " + COLLECTION + ")";
    }
}
