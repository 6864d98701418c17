package io.latchkey.cloud.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.cloud.LatchkeyConfig;
import io.latchkey.cloud.it.TestClock;
import io.latchkey.cloud.store.FileStores;
import io.latchkey.cloud.store.Stores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two replicas (two {@link StoredOutbox} and two deliveries) on one shared store: each message is mailed once. */
class StoredOutboxTest {
    @TempDir
    Path dataDir;
    final TestClock clock = new TestClock(java.time.Instant.parse("2026-06-01T10:00:00Z"));
    final RetryConfig retry = new RetryConfig(Duration.ofSeconds(1), Duration.ofMinutes(15));
    final CountingRelay relay = new CountingRelay();

    private Stores shared() {
        Stores stores = new FileStores(new LatchkeyConfig(dataDir.toString(), null));
        if (stores.platform().list("tenants").isEmpty()) {
            stores.platform().create("tenants", "acme", "{\"id\":\"acme\"}".getBytes(StandardCharsets.UTF_8));
        }
        return stores;
    }

    @Test
    void twoReplicasDeliveringAtOnce_mailEachMessageOnce_whicheverQueuedIt() throws Exception {
        Stores stores = shared();
        StoredOutbox a = outbox(stores);
        StoredOutbox b = outbox(stores);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sent.add((i % 2 == 0 ? a : b).send("acme", message("u" + i)));
        }
        OutboxDelivery onA = delivery(a);
        OutboxDelivery onB = delivery(b);
        CountDownLatch go = new CountDownLatch(1);
        Thread ta = new Thread(() -> { await(go); onA.deliverDue(); });
        Thread tb = new Thread(() -> { await(go); onB.deliverDue(); });
        ta.start();
        tb.start();
        go.countDown();
        ta.join();
        tb.join();
        onA.deliverDue();
        onB.deliverDue();

        assertThat(relay.delivered).hasSize(20);
        assertThat(new HashSet<>(relay.delivered)).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(a.pending("acme")).isEmpty();
        assertThat(b.messages("acme")).as("mailed messages leave the store (they hold PII)").isEmpty();
    }

    @Test
    void aReplicaThatDiesHoldingTheClaim_leavesTheMessageToAnother_whenTheLeaseEnds() {
        Stores stores = shared();
        StoredOutbox dead = outbox(stores);
        StoredOutbox other = outbox(stores);
        String id = dead.send("acme", message("ann"));
        assertThat(dead.claim("acme", id)).isTrue();
        // ... and the process is gone before it marked anything

        OutboxDelivery onOther = delivery(other);
        onOther.deliverDue();
        assertThat(relay.attempts).as("claimed by a replica whose lease still runs").isEmpty();
        clock.advance(StoredOutbox.LEASE.minusSeconds(1));
        onOther.deliverDue();
        assertThat(relay.attempts).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        onOther.deliverDue();
        assertThat(relay.delivered).containsExactly(id);
        onOther.deliverDue();
        delivery(outbox(stores)).deliverDue();
        assertThat(relay.delivered).as("once").containsExactly(id);
    }

    @Test
    void aRefusedMessage_isKeptAsFailed_andNotTriedByAnyReplica_andAnErasedRecipientIsNotMailed() {
        Stores stores = shared();
        StoredOutbox a = outbox(stores);
        StoredOutbox b = outbox(stores);
        String refused = a.send("acme", message("bob"));
        b.send("acme", message("gone"));
        b.eraseRecipient("acme", "gone");
        relay.refuse.add(refused);
        delivery(a).deliverDue();
        clock.advance(Duration.ofHours(1));
        delivery(b).deliverDue();

        assertThat(relay.attempts).containsExactly(refused);
        assertThat(b.pending("acme")).isEmpty();
        assertThat(b.messages("acme")).extracting(OutboxMessage::id).containsExactly(refused);
    }

    private StoredOutbox outbox(Stores stores) {
        SecureRandom random = new SecureRandom();
        LatchkeyConfig config = new LatchkeyConfig(dataDir.toString(), null);
        return new StoredOutbox(stores, clock, random, new io.latchkey.cloud.pii.PiiCipher(
                new io.latchkey.cloud.secrets.FileSecretStore(config, random), random, clock));
    }

    @Test
    void theAddressSubjectAndBody_areSealedInTheStore() {
        Stores stores = shared();
        StoredOutbox a = outbox(stores);
        String id = a.send("acme", new Message("ann", "ann@acme.test", "password-reset", "Reset your password", "Open https://x.test/r/9"));
        String stored = new String(stores.tenant("acme").read(StoredOutbox.COLLECTION, id).orElseThrow().value(), StandardCharsets.UTF_8);
        assertThat(stored).doesNotContain("ann@acme.test", "Reset your password", "https://x.test/r/9").contains("\"userId\":\"ann\"");
        assertThat(outbox(stores).pending("acme")).singleElement().satisfies(m -> {
            assertThat(m.to()).isEqualTo("ann@acme.test");
            assertThat(m.body()).isEqualTo("Open https://x.test/r/9");
        });
    }

    private OutboxDelivery delivery(StoredOutbox outbox) {
        return new OutboxDelivery(outbox, relay, retry, clock, new LatchkeyConfig(dataDir.toString(), null));
    }

    private static Message message(String userId) {
        return new Message(userId, userId + "@acme.test", "password-reset", "Reset", "Open https://x.test/r/1");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Accepts everything except the ids in {@code refuse} (550), from any thread. */
    static final class CountingRelay implements MailRelay {
        final Queue<String> attempts = new ConcurrentLinkedQueue<>();
        final Queue<String> delivered = new ConcurrentLinkedQueue<>();
        final Queue<String> refuse = new ConcurrentLinkedQueue<>();

        @Override
        public Connection open() {
            return new Connection() {
                @Override
                public void deliver(String tenant, OutboxMessage message) {
                    attempts.add(message.id());
                    if (refuse.contains(message.id())) {
                        throw new MessageRefusedException(550, null);
                    }
                    delivered.add(message.id());
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public String describe() {
            return "counting relay";
        }
    }
}
