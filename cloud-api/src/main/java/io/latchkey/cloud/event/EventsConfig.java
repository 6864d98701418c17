package io.latchkey.cloud.event;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Events and operator alerts.
 *
 * @param offlineAfter  {@code latchkey.events.offline-after}: how long a car may be offline (its last will, or
 *                      silence) before {@code CAR_OFFLINE} is raised (default 10 minutes; 1 minute to 7 days)
 * @param sweepInterval {@code latchkey.events.sweep-interval}: how often the offline sweep runs (default 1 minute;
 *                      10 seconds to 1 hour)
 * @param alertTypes    {@code latchkey.events.alert-types}: the event types that are alerts: counted as open
 *                      alerts until acknowledged and mailed to the tenant's operators and tenant-admins (default
 *                      TAMPER, DOOR_OPENED_WHILE_LOCKED, LOW_VOLTAGE, CAR_OFFLINE, LEFT_HOME_ZONE, BOOKING_OVERDUE,
 *                      JOURNAL_DAMAGED)
 */
@ConfigurationProperties("latchkey.events")
public record EventsConfig(@Bindable(defaultValue = "10m") Duration offlineAfter,
                           @Bindable(defaultValue = "1m") Duration sweepInterval,
                           @Bindable(defaultValue = "TAMPER,DOOR_OPENED_WHILE_LOCKED,LOW_VOLTAGE,CAR_OFFLINE,LEFT_HOME_ZONE,BOOKING_OVERDUE,JOURNAL_DAMAGED")
                           List<String> alertTypes) {
    public static final String PREFIX = "latchkey.events.";
    /** What an event type looks like: upper-case words joined by underscores, as the cars send them. */
    public static final Pattern TYPE = Pattern.compile("[A-Z][A-Z0-9_]{0,39}");

    public EventsConfig {
        require("offline-after", offlineAfter, Duration.ofMinutes(1), Duration.ofDays(7), "1m and 7d");
        require("sweep-interval", sweepInterval, Duration.ofSeconds(10), Duration.ofHours(1), "10s and 1h");
        if (alertTypes == null) {
            throw new ConfigurationException(PREFIX + "alert-types is required (a list of event types, may be empty)");
        }
        alertTypes = alertTypes.stream().map(String::strip).filter(t -> !t.isEmpty()).toList();
        for (String type : alertTypes) {
            if (!TYPE.matcher(type).matches()) {
                throw new ConfigurationException(PREFIX + "alert-types: '" + type
                        + "' is not an event type (upper-case letters, digits and underscores)");
            }
        }
    }

    public boolean isAlert(String type) {
        return Set.copyOf(alertTypes).contains(type);
    }

    private static void require(String key, Duration value, Duration min, Duration max, String range) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new ConfigurationException(PREFIX + key + " must be a duration between " + range + ", got " + value);
        }
    }
}
