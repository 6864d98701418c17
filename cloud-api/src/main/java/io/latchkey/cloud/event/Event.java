package io.latchkey.cloud.event;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.Map;

/**
 * Something an operator should see about a car: reported by the car ({@code TAMPER}, {@code LOW_VOLTAGE},
 * {@code JOURNAL_EVICTED}, ...) or raised by the backend ({@code CAR_OFFLINE}, {@code LEFT_HOME_ZONE},
 * {@code BOOKING_OVERDUE}). Stored once per id as {@code events/{id}}; only the acknowledgement and the
 * notification mark ever change.
 *
 * @param id             {@code ev-{13-digit epoch millis of at}-{12 hex}}: sorts by time; derived from what the
 *                       event is, so a redelivered or re-raised event keeps its id and is stored once
 * @param source         {@code DEVICE} or {@code BACKEND}
 * @param at             when it happened (the car's clock for device events)
 * @param receivedAt     when the backend stored it
 * @param alert          whether its type was an alert type ({@code latchkey.events.alert-types}) when stored
 * @param acknowledgedBy the operator who acknowledged it, null while open
 * @param notified       whether the alert mail was handed to the outbox (always false for a non-alert)
 */
@Serdeable
public record Event(String id, String carId, @Nullable String deviceId, String type, String source, Instant at,
                    Instant receivedAt, Map<String, String> details, boolean alert, @Nullable String acknowledgedBy,
                    @Nullable Instant acknowledgedAt, boolean notified) {
    public static final String DEVICE = "DEVICE";
    public static final String BACKEND = "BACKEND";

    public Event {
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    public boolean acknowledged() {
        return acknowledgedAt != null;
    }

    /** An alert nobody acknowledged yet. */
    public boolean open() {
        return alert && !acknowledged();
    }

    Event acknowledge(String by, Instant when) {
        return acknowledged() ? this : new Event(id, carId, deviceId, type, source, at, receivedAt, details, alert, by, when, notified);
    }

    Event markNotified() {
        return new Event(id, carId, deviceId, type, source, at, receivedAt, details, alert, acknowledgedBy, acknowledgedAt, true);
    }
}
