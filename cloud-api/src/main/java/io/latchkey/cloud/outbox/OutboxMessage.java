package io.latchkey.cloud.outbox;

import java.time.Instant;

/**
 * One message to one user.
 *
 * @param userId whose it is, so that termination can erase it
 * @param kind   what it is for, e.g. {@code password-reset}
 */
public record OutboxMessage(String id, String userId, String to, String kind, String subject, String body,
                            Instant createdAt) {
    @Override
    public String toString() {
        return "OutboxMessage[id=" + id + ", kind=" + kind + ", user=" + userId + "]";
    }
}
