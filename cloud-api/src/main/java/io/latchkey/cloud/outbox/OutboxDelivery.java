package io.latchkey.cloud.outbox;

import io.latchkey.cloud.LatchkeyConfig;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mails what the outbox keeps ({@link OutboxQueue}: {@link FileOutbox}, or {@link StoredOutbox} with replicas), on one background thread, through the {@link MailRelay} when one
 * is configured. Without one it says so once at start and sends nothing.
 * <p>
 * Guarantees: a message stays in the outbox until the relay accepted it (then it is marked delivered,
 * synced to disk, and never handed over again, also after a restart) or refused it with a 5xx (marked
 * failed, kept, not retried). While the relay is down or defers (4xx), it waits {@link RetryConfig}'s
 * doubling backoff, then keeps trying at the longest wait. Messages go one at a time, so a crash between
 * the relay's acceptance and the synced mark can send at most one message once more after the restart; it
 * carries the same {@code Message-ID}. With several replicas each message is claimed before it is handed over
 * ({@link OutboxQueue#claim}, a lease in the shared store): one replica mails it; if that one dies before the mark,
 * another mails it once more after the lease, with the same {@code Message-ID}. Logs name message ids and reply
 * codes only, never an address or text.
 */
@Context
public class OutboxDelivery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxDelivery.class);
    private static final Duration IDLE = Duration.ofMinutes(1);

    private final OutboxQueue outbox;
    private final @Nullable MailRelay relay;
    private final RetryConfig retry;
    private final Clock clock;
    private final Map<String, Deferred> deferred = new HashMap<>();
    private Thread worker;
    private volatile boolean running = true;
    private int relayFailures;

    private record Deferred(int failures, Instant until) {
    }

    public OutboxDelivery(OutboxQueue outbox, @Nullable MailRelay relay, RetryConfig retry, Clock clock, LatchkeyConfig config) {
        this.outbox = outbox;
        this.relay = relay;
        this.retry = retry;
        this.clock = clock;
    }

    /** Says once which way messages go, and starts the delivery thread when there is a relay. */
    @PostConstruct
    void start() {
        if (relay == null) {
            LOG.warn("No SMTP relay configured (latchkey.mail.smtp.host): messages to users are not mailed, they stay in {}",
                    outbox.describe());
            return;
        }
        LOG.info("Messages to users are mailed through {}", relay.describe());
        worker = new Thread(this::run, "outbox-delivery");
        worker.setDaemon(true);
        worker.start();
    }

    private void run() {
        while (running) {
            try {
                Instant next = deliverDue();
                Duration wait = Duration.between(clock.instant(), next);
                if (!wait.isNegative() && !wait.isZero() && running) {
                    outbox.awaitNew(wait);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // a broken outbox file or disk: keep the thread, try again after the longest wait
                LOG.error("Outbox delivery round failed ({}); next try in {}", e.getClass().getSimpleName(), retry.max());
                sleep(retry.max());
            }
        }
    }

    /** One round over every tenant's pending messages; returns when the next round is due. */
    Instant deliverDue() {
        Instant next = clock.instant().plus(IDLE);
        MailRelay.Connection session = null;
        try {
            for (String tenant : outbox.tenants()) {
                List<OutboxMessage> pending = outbox.pending(tenant);
                boolean delivered = false;
                for (OutboxMessage message : pending) {
                    if (!running) {
                        return next;
                    }
                    Deferred wait = deferred.get(message.id());
                    if (wait != null && wait.until().isAfter(clock.instant())) {
                        next = min(next, wait.until());
                        continue;
                    }
                    if (!outbox.claim(tenant, message.id())) {
                        continue;
                    }
                    if (session == null) {
                        session = relay.open();
                    }
                    delivered |= deliver(session, tenant, message);
                    Deferred now = deferred.get(message.id());
                    if (now != null) {
                        next = min(next, now.until());
                    }
                }
                if (delivered) {
                    outbox.forgetDelivered(tenant);
                }
            }
            if (relayFailures > 0) {
                LOG.info("The mail relay is reachable again");
            }
            relayFailures = 0;
            return next;
        } catch (RelayUnavailableException e) {
            relayFailures++;
            Duration delay = retry.delayAfter(relayFailures);
            LOG.warn("The mail relay is unavailable ({}; failure {} in a row); messages stay in the outbox, next try in {}",
                    e.getMessage(), relayFailures, delay);
            return clock.instant().plus(delay);
        } finally {
            if (session != null) {
                session.close();
            }
        }
    }

    private boolean deliver(MailRelay.Connection session, String tenant, OutboxMessage message) {
        try {
            session.deliver(tenant, message);
        } catch (MessageRefusedException e) {
            if (e.permanent()) {
                outbox.markFailed(tenant, message.id(), e.replyCode());
                deferred.remove(message.id());
                LOG.warn("Message {} ({}) refused for good by the mail relay ({}); marked failed, not retried",
                        message.id(), message.kind(), e.replyCode());
            } else {
                int failures = deferred.containsKey(message.id()) ? deferred.get(message.id()).failures() + 1 : 1;
                Duration delay = retry.delayAfter(failures);
                deferred.put(message.id(), new Deferred(failures, clock.instant().plus(delay)));
                LOG.info("Message {} ({}) deferred by the mail relay ({}); next try in {}", message.id(), message.kind(),
                        e.replyCode(), delay);
            }
            return false;
        }
        outbox.markDelivered(tenant, message.id());
        deferred.remove(message.id());
        LOG.info("Message {} ({}) delivered to the mail relay", message.id(), message.kind());
        return true;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private void sleep(Duration duration) {
        try {
            outbox.awaitNew(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Stops after the message in flight, if any (waits up to the relay's time-out for it). */
    @PreDestroy
    @Override
    public void close() {
        running = false;
        if (worker != null) {
            // woken, not interrupted: an interrupt would break the synced write that marks a message delivered
            outbox.wake();
            try {
                worker.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
