package io.latchkey.cloud.account.reset;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One password reset, {@code password-resets/{sha256(token)}} in the tenant's store: the token itself is
 * only in the message sent to the user.
 *
 * @param answered    the PII fields already confirmed
 * @param completedAt when the new password was set; a completed reset cannot be used again
 */
record StoredReset(String userId, Instant startedAt, Instant expiresAt, List<String> answered, Instant completedAt) {
    StoredReset {
        answered = answered == null ? List.of() : List.copyOf(answered);
    }

    StoredReset withAnswered(List<String> more) {
        List<String> all = new ArrayList<>(answered);
        more.stream().filter(f -> !all.contains(f)).forEach(all::add);
        return new StoredReset(userId, startedAt, expiresAt, all, completedAt);
    }

    StoredReset completed(Instant at) {
        return new StoredReset(userId, startedAt, expiresAt, answered, at);
    }
}
