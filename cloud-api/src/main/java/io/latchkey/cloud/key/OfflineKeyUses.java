package io.latchkey.cloud.key;

import io.latchkey.cloud.audit.AuditEntry;
import io.latchkey.cloud.audit.Auditor;
import io.latchkey.cloud.event.Event;
import io.latchkey.cloud.event.EventRaised;
import io.latchkey.protocol.Ids;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The car's journal of offline key uses reaches the tenant's audit trail (docs/offline-keys.md §8): each device event
 * {@code OFFLINE_KEY_USE} the car reports becomes one audit record {@code car.offline-key.<action>} with the holder as
 * actor and the outcome {@code EXECUTED} or {@code REJECTED_<reason>}. Once per event: {@link EventRaised} is published
 * only for a newly stored event, and the event path stores a redelivered one once. The event itself stays in the car's
 * history ({@code GET /t/{tenant}/events?carId=}).
 */
@Singleton
public class OfflineKeyUses {
    public static final String TYPE = "OFFLINE_KEY_USE";
    private static final Pattern WORD = Pattern.compile("[A-Z][A-Z0-9_]{0,39}");
    private static final Logger LOG = LoggerFactory.getLogger(OfflineKeyUses.class);

    private final Auditor auditor;

    public OfflineKeyUses(Auditor auditor) {
        this.auditor = auditor;
    }

    @EventListener
    void on(EventRaised raised) {
        Event event = raised.event();
        if (!TYPE.equals(event.type()) || !Event.DEVICE.equals(event.source())) {
            return;
        }
        Map<String, String> d = event.details();
        // a presentation the car refused before it named an action (e.g. a revoked key's BLE hello) is audited too,
        // as car.offline-key.present: every attempt at the car reaches the trail, not only those that named an action
        String action = d.get("action") == null ? "PRESENT" : d.get("action");
        String outcome = d.get("outcome");
        if (!WORD.matcher(action).matches() || outcome == null || !WORD.matcher(outcome).matches()) {
            LOG.warn("{}: offline key use {} of car {} names no valid action or outcome; kept as an event only",
                    raised.tenant(), event.id(), event.carId());
            return;
        }
        String holder = d.get("holderUserId");
        String actor = holder != null && Ids.isValid(holder) ? holder : "car:" + event.carId();
        String result = "EXECUTED".equals(outcome) ? "EXECUTED"
                : "REJECTED_" + (d.get("reason") != null && WORD.matcher(d.get("reason")).matches() ? d.get("reason") : "UNKNOWN");
        StringBuilder subject = new StringBuilder("car/").append(event.carId());
        append(subject, "key", d.get("keyId"));
        append(subject, "booking", d.get("bookingId"));
        append(subject, "event", event.id());
        auditor.record(raised.tenant(), actor, "car.offline-key." + action.toLowerCase(Locale.ROOT), subject.toString(), result);
    }

    private static void append(StringBuilder subject, String kind, String id) {
        if (id != null && Ids.isValid(id) || "key".equals(kind) && id != null && id.matches("key-[0-9a-f]{16}")) {
            subject.append(' ').append(kind).append('/').append(id);
        }
    }
}
