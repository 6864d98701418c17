package io.latchkey.cloud.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.cloud.LatchkeyConfig;
import io.latchkey.cloud.it.TestClock;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delivery rounds against a hand-written relay, on a clock the test moves: no sleeping, no thread. */
class OutboxDeliveryTest {
    @TempDir
    Path dataDir;
    final TestClock clock = new TestClock(Instant.parse("2026-06-01T10:00:00Z"));
    final FakeRelay relay = new FakeRelay();
    final RetryConfig retry = new RetryConfig(Duration.ofSeconds(1), Duration.ofMinutes(15));

    @Test
    void aDeliveredMessage_isMarkedOnDisk_andNotHandedOverAgain_byTheNextProcess() {
        FileOutbox outbox = outbox();
        String id = outbox.send("acme", message("ann"));
        delivery(outbox).deliverDue();
        assertThat(relay.delivered).containsExactly(id);

        FileOutbox afterRestart = outbox();
        delivery(afterRestart).deliverDue();
        assertThat(relay.delivered).as("sent once").containsExactly(id);
        assertThat(afterRestart.messages("acme")).as("a mailed message leaves the disk").isEmpty();
    }

    @Test
    void aPermanentRefusal_isMarkedFailed_keptForOperators_andNeverTriedAgain() {
        FileOutbox outbox = outbox();
        String refused = outbox.send("acme", message("bob"));
        String fine = outbox.send("acme", message("cy"));
        relay.answers.add(550);
        OutboxDelivery delivery = delivery(outbox);
        delivery.deliverDue();
        clock.advance(Duration.ofHours(1));
        delivery.deliverDue();
        delivery(outbox()).deliverDue();

        assertThat(relay.attempts).containsExactly(refused, fine);
        assertThat(outbox.states("acme")).containsEntry(refused, FileOutbox.FAILED);
        assertThat(outbox.messages("acme")).extracting(OutboxMessage::id).containsExactly(refused);
    }

    @Test
    void aDeferredMessage_waitsItsBackoff_thenIsDelivered() {
        FileOutbox outbox = outbox();
        String id = outbox.send("acme", message("dee"));
        relay.answers.add(451);
        relay.answers.add(452);
        OutboxDelivery delivery = delivery(outbox);

        assertThat(delivery.deliverDue()).isEqualTo(clock.instant().plusSeconds(1));
        assertThat(delivery.deliverDue()).as("not before its time").isEqualTo(clock.instant().plusSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(delivery.deliverDue()).as("second failure: twice as long").isEqualTo(clock.instant().plusSeconds(2));
        clock.advance(Duration.ofSeconds(2));
        delivery.deliverDue();
        assertThat(relay.attempts).containsExactly(id, id, id);
        assertThat(relay.delivered).containsExactly(id);
    }

    @Test
    void whileTheRelayIsDown_theWaitDoubles_upToTheMax_andNothingIsLost() {
        FileOutbox outbox = outbox();
        String id = outbox.send("acme", message("eve"));
        relay.down = true;
        OutboxDelivery delivery = delivery(outbox);
        List<Duration> waits = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            Instant next = delivery.deliverDue();
            waits.add(Duration.between(clock.instant(), next));
            clock.advance(Duration.between(clock.instant(), next));
        }
        assertThat(waits.subList(0, 5)).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(16));
        assertThat(waits.subList(10, 14)).containsOnly(Duration.ofMinutes(15));
        assertThat(outbox.pending("acme")).extracting(OutboxMessage::id).containsExactly(id);

        relay.down = false;
        delivery.deliverDue();
        assertThat(relay.delivered).containsExactly(id);
        assertThat(outbox.pending("acme")).isEmpty();
    }

    @Test
    void anErasedRecipient_isNotMailed() {
        FileOutbox outbox = outbox();
        outbox.send("acme", message("gone"));
        outbox.eraseRecipient("acme", "gone");
        delivery(outbox).deliverDue();
        assertThat(relay.attempts).isEmpty();
    }

    @Test
    void retry_startsAtInitial_doubles_andStaysAtMax() {
        assertThat(retry.delayAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(retry.delayAfter(10)).isEqualTo(Duration.ofSeconds(512));
        assertThat(retry.delayAfter(11)).isEqualTo(Duration.ofMinutes(15));
        assertThat(retry.delayAfter(1000)).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void aMessage_isOneLineOfSubject_andHasAKind() {
        assertThatThrownBy(() -> new Message("u", "a@b.test", "password-reset", "Hi\r\nBcc: x@y.test", "text"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Message("u", "a@b.test", "Booking Confirmation", "Hi", "text"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new Message("u", "a@b.test", "booking-confirmation", "Hi", "text").toString())
                .doesNotContain("a@b.test", "text");
    }

    private FileOutbox outbox() {
        SecureRandom random = new SecureRandom();
        return new FileOutbox(new LatchkeyConfig(dataDir.toString(), null), clock, random,
                new io.latchkey.cloud.pii.PiiCipher(new io.latchkey.cloud.secrets.FileSecretStore(
                        new LatchkeyConfig(dataDir.toString(), null), random), random, clock));
    }

    private OutboxDelivery delivery(FileOutbox outbox) {
        return new OutboxDelivery(outbox, relay, retry, clock, new LatchkeyConfig(dataDir.toString(), null));
    }

    private static Message message(String userId) {
        return new Message(userId, userId + "@acme.test", "password-reset", "Reset", "Open https://x.test/r/1");
    }

    /** Answers each message with the next queued reply code (none: accepted), or refuses sessions while down. */
    static final class FakeRelay implements MailRelay {
        final Deque<Integer> answers = new ArrayDeque<>();
        final List<String> attempts = new ArrayList<>();
        final List<String> delivered = new ArrayList<>();
        boolean down;

        @Override
        public Connection open() {
            if (down) {
                throw new RelayUnavailableException("connection refused", null);
            }
            return new Connection() {
                @Override
                public void deliver(String tenant, OutboxMessage message) {
                    attempts.add(message.id());
                    Integer code = answers.poll();
                    if (code != null) {
                        throw new MessageRefusedException(code, null);
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
            return "fake relay";
        }
    }
}
