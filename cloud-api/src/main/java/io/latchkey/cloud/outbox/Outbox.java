package io.latchkey.cloud.outbox;

/**
 * Messages to users (password-reset links, ...). The embedded default, {@link FileOutbox}, writes them to a
 * file the demo and tests read; a mail-sending implementation replaces it in production.
 */
public interface Outbox {

    /**
     * Hands a message over for delivery.
     *
     * @throws OutboxException if it could not be taken; nothing was sent
     */
    void send(String tenant, OutboxMessage message);

    /**
     * Erases every message kept for that user (account termination): their address and the text must
     * not survive in storage.
     *
     * @throws OutboxException if the kept messages could not be rewritten
     */
    void eraseRecipient(String tenant, String userId);
}
