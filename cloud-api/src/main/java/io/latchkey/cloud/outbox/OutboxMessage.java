package io.latchkey.cloud.outbox;

import java.time.Instant;

/**
 * One message as the outbox keeps it: the {@link Message} with the id and time the outbox gave it. The id
 * is also the stable part of the mail's {@code Message-ID}, so a copy sent again after a crash can be
 * recognised as the same message.
 *
 * @param userId whose it is, so that termination can erase it
 * @param kind   what it is for, e.g. {@code password-reset}
 */
public record OutboxMessage(String id, String userId, String to, String kind, String subject, String body,
                            Instant createdAt) {

    static OutboxMessage of(String id, Message message, Instant createdAt) {
        return new OutboxMessage(id, message.userId(), message.to(), message.kind(), message.subject(), message.body(),
                createdAt);
    }

    @Override
    public String toString() {
        return "OutboxMessage[id=" + id + ", kind=" + kind + ", user=" + userId + "]";
    }
}
