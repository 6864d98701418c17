package io.latchkey.cloud.outbox;

/**
 * Messages to users (password-reset links, booking confirmations, receipts, alerts). A feature hands a
 * {@link Message} over and is done: the outbox keeps it durably ({@link FileOutbox}) and, when an SMTP
 * relay is configured, {@link OutboxDelivery} mails it, retrying until the relay takes it.
 */
public interface Outbox {

    /**
     * Keeps a message for delivery; it is on disk when this returns.
     *
     * @return the message's id (log this, never the address or the text)
     * @throws OutboxException if it could not be taken; nothing will be sent
     */
    String send(String tenant, Message message);

    /**
     * Erases every message kept for that user (account termination): their address and the text must
     * not survive in storage. Messages not yet delivered are not delivered any more.
     *
     * @throws OutboxException if the kept messages could not be rewritten
     */
    void eraseRecipient(String tenant, String userId);
}
