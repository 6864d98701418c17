package io.latchkey.cloud.outbox;

import java.time.Duration;
import java.util.List;

/**
 * What {@link OutboxDelivery} works through: the kept messages, a claim before each hand-over, and the marks
 * after it. {@link FileOutbox} (one process, its data directory) or {@link StoredOutbox} (the tenants' shared
 * stores, several replicas).
 */
interface OutboxQueue {
    /** The tenants that may have messages kept. */
    List<String> tenants();

    /** The tenant's messages neither delivered nor failed, oldest first (a replica may still hold a claim on some). */
    List<OutboxMessage> pending(String tenant);

    /**
     * Takes the message for one hand-over to the relay: true if this process may deliver it now. Where several
     * replicas share the queue, the claim is a lease won by a conditional write, so only one of them delivers it;
     * one that dies holding it leaves it to the others once the lease ends.
     */
    boolean claim(String tenant, String id);

    void markDelivered(String tenant, String id);

    void markFailed(String tenant, String id, int replyCode);

    /** Drops what no longer needs keeping after a round that delivered something. */
    void forgetDelivered(String tenant);

    /** Waits until a message is sent here or the time is up; true if something new may be waiting. */
    boolean awaitNew(Duration timeout) throws InterruptedException;

    /** Ends a current {@link #awaitNew} early. */
    void wake();

    /** Where messages wait, for the log line at start. */
    String describe();
}
