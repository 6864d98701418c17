package io.latchkey.cloud.audit;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.Objects;

/**
 * One business-critical action, as the caller reports it to {@link AuditLog#append}.
 *
 * @param actor   who did it: a user id, {@code platform:{user}} for a platform admin, or {@code system}
 * @param time    when it happened (from the injected clock)
 * @param action  what was done, dotted and stable, e.g. {@code user.register}, {@code car.unlock}
 * @param subject what it was done to, e.g. {@code user/u-123}, {@code car/car-1}
 * @param outcome how it ended, e.g. {@code OK}, {@code REFUSED}, {@code EXECUTED}, {@code TIMED_OUT}
 */
@Serdeable
public record AuditEntry(String actor, Instant time, String action, String subject, String outcome) {
    public static final String OK = "OK";
    public static final String REFUSED = "REFUSED";
    public static final String SYSTEM = "system";

    public AuditEntry {
        requireText("actor", actor);
        Objects.requireNonNull(time, "time");
        requireText("action", action);
        requireText("subject", subject);
        requireText("outcome", outcome);
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("audit entry needs a " + field);
        }
    }
}
