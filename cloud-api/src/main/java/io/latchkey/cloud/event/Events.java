package io.latchkey.cloud.event;

import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.NotFoundException;
import io.latchkey.cloud.car.Car;
import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.identity.Roles;
import io.latchkey.cloud.identity.UserAccount;
import io.latchkey.cloud.identity.UserDirectory;
import io.latchkey.cloud.outbox.Message;
import io.latchkey.cloud.outbox.Outbox;
import io.latchkey.cloud.store.DocumentExistsException;
import io.latchkey.cloud.store.JsonCollection;
import io.latchkey.cloud.store.Stores;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores events (what cars report and what the backend raises), lists them, acknowledges them, and mails
 * each alert once to the tenant's operators and tenant-admins. The one entry point others raise events
 * through: {@link #raise(String, String, String, Instant, Map, String)} (booking uses it for
 * {@code BOOKING_OVERDUE}).
 *
 * <p>Storage: {@code events/{id}} in the tenant's store (created once: a second delivery of the same event
 * finds its document and changes nothing) and the index {@code event-index/open-alerts} ({@link OpenAlerts}).
 * Ids sort by time, so the newest-first listing reads the ids, skips what the time filter excludes without
 * reading it, and reads documents only until a page is full.
 *
 * <p>Alert mail: the document is created first, then the mail handed to the outbox, then the event marked
 * {@code notified}. A crash between the last two steps mails it again on redelivery or at the next sweep
 * ({@link #notifyPending}); one before the mail leaves it {@code notified:false}, and the sweep sends it.
 */
@Singleton
public class Events {
    public static final String CAR_OFFLINE = "CAR_OFFLINE";
    public static final String LEFT_HOME_ZONE = "LEFT_HOME_ZONE";
    public static final String BOOKING_OVERDUE = "BOOKING_OVERDUE";
    public static final String MESSAGE_KIND = "operator-alert";
    static final int MAX_DETAILS = 16;
    static final int MAX_DETAIL_KEY = 64;
    static final int MAX_DETAIL_VALUE = 256;
    /** Detail keys an alert mail leaves out: positions and anything naming a person stay in the API, behind its rules. */
    static final Set<String> NOT_MAILED = Set.of("lat", "lon", "userId", "user", "email", "phone", "name");
    /** An alert not yet notified this long after it was stored is left to a crashed raise: the sweep mails it. */
    static final Duration NOTIFY_GRACE = Duration.ofMinutes(1);
    /** How far ahead of the backend a car's event time may lie (as for telemetry records). */
    static final Duration MAX_DEVICE_CLOCK_AHEAD = Duration.ofHours(24);
    private static final Pattern EVENT_ID = Pattern.compile("ev-\\d{13}-[0-9a-f]{12}");
    private static final long MAX_MILLIS = 9_999_999_999_999L;
    private static final Logger LOG = LoggerFactory.getLogger(Events.class);

    /** A page of events, newest first; {@code next} is the cursor of the following page, null on the last. */
    public record Page(List<Event> events, @Nullable String next) {
    }

    /** Filters of a listing; null fields do not filter. {@code alert}: only alerts (true) or only other events (false). */
    public record Filter(@Nullable String carId, @Nullable String type, @Nullable Instant from, @Nullable Instant to,
                         @Nullable Boolean acknowledged, @Nullable Boolean alert) {
        public static final Filter NONE = new Filter(null, null, null, null, null, null);

        public Filter(@Nullable String carId, @Nullable String type, @Nullable Instant from, @Nullable Instant to,
                      @Nullable Boolean acknowledged) {
            this(carId, type, from, to, acknowledged, null);
        }
    }

    /** What an acknowledgement did: the event as it is now, and whether this call acknowledged it. */
    public record Acknowledgement(Event event, boolean changed) {
    }

    private final Stores stores;
    private final CarRegistry cars;
    private final UserDirectory users;
    private final Outbox outbox;
    private final EventsConfig config;
    private final SecureRandom random;
    private final Clock clock;
    private final ApplicationEventPublisher<EventRaised> publisher;

    public Events(Stores stores, CarRegistry cars, UserDirectory users, Outbox outbox, EventsConfig config, SecureRandom random,
                  Clock clock, ApplicationEventPublisher<EventRaised> publisher) {
        this.publisher = publisher;
        this.stores = stores;
        this.cars = cars;
        this.users = users;
        this.outbox = outbox;
        this.config = config;
        this.random = random;
        this.clock = clock;
    }

    /**
     * Raises a backend event now, every call a new one.
     *
     * @throws NotFoundException       for an unknown car
     * @throws InvalidRequestException for a type that is not upper-case words joined by underscores
     */
    public Event raise(String tenant, String carId, String type, Map<String, String> details) {
        return raise(tenant, carId, type, clock.instant(), details, HexFormat.of().toHexDigits(random.nextLong()));
    }

    /**
     * Raises a backend event once: calls with the same car, type, {@code at} and {@code onceKey} store one event
     * and mail it once (e.g. {@code BOOKING_OVERDUE} with the booking's end and id).
     *
     * @return the event as stored (the earlier one when it was raised before)
     * @throws NotFoundException       for an unknown car
     * @throws InvalidRequestException for a type that is not upper-case words joined by underscores
     */
    public Event raise(String tenant, String carId, String type, Instant at, Map<String, String> details, String onceKey) {
        cars.require(tenant, carId);
        return store(tenant, carId, null, type, Event.BACKEND, at, details, carId + "|" + onceKey);
    }

    /**
     * Stores an event a car reported (once: a redelivery finds the same id).
     *
     * @throws InvalidRequestException for a type that is not upper-case words joined by underscores
     */
    public Event fromDevice(String tenant, String carId, String deviceId, String type, @Nullable Instant at,
                            @Nullable Map<String, String> details) {
        Instant now = clock.instant();
        // a car whose clock runs far ahead would pin its events to the top of every listing: they get the arrival time
        Instant when = at == null || at.isAfter(now.plus(MAX_DEVICE_CLOCK_AHEAD)) ? now : at;
        String key = deviceId + "|" + new TreeMap<>(details == null ? Map.of() : details) + "|" + (at == null ? "" : at);
        return store(tenant, carId, deviceId, type, Event.DEVICE, when, details, key);
    }

    private Event store(String tenant, String carId, @Nullable String deviceId, String type, String source, Instant at,
                        @Nullable Map<String, String> details, String key) {
        if (type == null || !EventsConfig.TYPE.matcher(type).matches()) {
            throw new InvalidRequestException("an event type is upper-case letters, digits and underscores (at most 40)");
        }
        long millis = Math.max(0, Math.min(MAX_MILLIS, at.toEpochMilli()));
        Instant when = Instant.ofEpochMilli(millis);
        String id = "ev-" + String.format("%013d", millis) + "-" + hash(type + "|" + millis + "|" + key);
        Event event = new Event(id, carId, deviceId, type, source, when, clock.instant(), bounded(details),
                config.isAlert(type), null, null, false);
        JsonCollection<Event> events = events(tenant);
        boolean created;
        try {
            events.create(id, event);
            created = true;
        } catch (DocumentExistsException e) {
            event = events.get(id).orElse(event);
            created = false;
        }
        if (event.open()) {
            String eventId = event.id();
            index(tenant).upsert(OpenAlerts.ID, OpenAlerts.EMPTY, current -> current.with(carId, eventId));
            if (!event.notified()) {
                event = notifyOperators(tenant, event);
            }
        }
        if (created) {
            try {
                publisher.publishEvent(new EventRaised(tenant, event));
            } catch (RuntimeException e) {
                LOG.warn("{}: a listener of event {} failed: {}", tenant, event.id(), e.toString());
            }
        }
        return event;
    }

    public Optional<Event> find(String tenant, String eventId) {
        if (eventId == null || !EVENT_ID.matcher(eventId).matches()) {
            return Optional.empty();
        }
        return events(tenant).get(eventId);
    }

    /** @throws NotFoundException for an unknown event */
    public Event require(String tenant, String eventId) {
        return find(tenant, eventId).orElseThrow(() -> new NotFoundException("unknown event " + eventId));
    }

    /**
     * Acknowledges an event; acknowledging it again changes nothing and keeps who and when of the first time.
     *
     * @throws NotFoundException for an unknown event
     */
    public Acknowledgement acknowledge(String tenant, String eventId, String userId) {
        Event current = require(tenant, eventId);
        if (current.acknowledged()) {
            return new Acknowledgement(current, false);
        }
        Instant now = clock.instant();
        boolean[] changed = {false};
        Event after = events(tenant).upsert(eventId, current, e -> {
            changed[0] = !e.acknowledged();
            return e.acknowledge(userId, now);
        });
        if (after.alert()) {
            index(tenant).upsert(OpenAlerts.ID, OpenAlerts.EMPTY, open -> open.without(after.carId(), eventId));
        }
        return new Acknowledgement(after, changed[0]);
    }

    /**
     * Events newest first (by {@code at}, then id), filtered.
     *
     * @param after the cursor from the previous page's {@code next}, or null for the first page
     * @throws InvalidRequestException for a malformed cursor
     */
    public Page list(String tenant, Filter filter, @Nullable String after, int limit) {
        if (after != null && !EVENT_ID.matcher(after).matches()) {
            throw new InvalidRequestException("cursor is not one this listing returned");
        }
        JsonCollection<Event> events = events(tenant);
        List<String> ids = events.ids();
        List<Event> page = new ArrayList<>(limit);
        for (int i = ids.size() - 1; i >= 0; i--) {
            String id = ids.get(i);
            if (!EVENT_ID.matcher(id).matches() || (after != null && id.compareTo(after) >= 0)) {
                continue;
            }
            Instant at = Instant.ofEpochMilli(Long.parseLong(id.substring(3, 16)));
            if (filter.to() != null && !at.isBefore(filter.to())) {
                continue;
            }
            if (filter.from() != null && at.isBefore(filter.from())) {
                break;
            }
            Optional<Event> event = events.get(id);
            if (event.isEmpty() || !matches(event.get(), filter)) {
                continue;
            }
            if (page.size() == limit) {
                return new Page(page, page.get(page.size() - 1).id());
            }
            page.add(event.get());
        }
        return new Page(page, null);
    }

    private static boolean matches(Event e, Filter f) {
        return (f.carId() == null || f.carId().equals(e.carId()))
                && (f.type() == null || f.type().equals(e.type()))
                && (f.acknowledged() == null || f.acknowledged() == e.acknowledged())
                && (f.alert() == null || f.alert() == e.alert());
    }

    /** Unacknowledged alerts per car (cars without any are left out), from one index document. */
    public Map<String, Integer> openAlertCounts(String tenant) {
        Map<String, Integer> counts = new TreeMap<>();
        index(tenant).get(OpenAlerts.ID).orElse(OpenAlerts.EMPTY).byCar().forEach((car, ids) -> counts.put(car, ids.size()));
        return counts;
    }

    /** The car's unacknowledged alerts, newest first. */
    public List<Event> openAlerts(String tenant, String carId) {
        List<Event> open = new ArrayList<>();
        JsonCollection<Event> events = events(tenant);
        for (String id : index(tenant).get(OpenAlerts.ID).orElse(OpenAlerts.EMPTY).byCar().getOrDefault(carId, List.of())) {
            events.get(id).filter(Event::open).ifPresent(open::add);
        }
        open.sort((a, b) -> b.id().compareTo(a.id()));
        return open;
    }

    /** Mails the open alerts whose mail a crash left unsent (stored more than a minute ago and not notified). */
    public int notifyPending(String tenant) {
        int sent = 0;
        Instant before = clock.instant().minus(NOTIFY_GRACE);
        JsonCollection<Event> events = events(tenant);
        for (List<String> ids : index(tenant).get(OpenAlerts.ID).orElse(OpenAlerts.EMPTY).byCar().values()) {
            for (String id : ids) {
                Optional<Event> event = events.get(id);
                if (event.isPresent() && event.get().open() && !event.get().notified()
                        && event.get().receivedAt().isBefore(before)) {
                    notifyOperators(tenant, event.get());
                    sent++;
                }
            }
        }
        return sent;
    }

    private Event notifyOperators(String tenant, Event event) {
        Optional<Car> car = cars.find(tenant, event.carId());
        String carName = car.map(c -> c.name() + " (" + c.plate() + ")").orElse(event.carId());
        String subject = "Latchkey alert: " + event.type() + " on " + oneLine(carName);
        StringBuilder body = new StringBuilder()
                .append(event.type()).append(" on car ").append(event.carId()).append(", ").append(carName).append('\n')
                .append("At: ").append(event.at()).append('\n');
        event.details().entrySet().stream().filter(d -> !NOT_MAILED.contains(d.getKey()))
                .sorted(Map.Entry.comparingByKey())
                .forEach(d -> body.append(d.getKey()).append(": ").append(d.getValue()).append('\n'));
        body.append('\n').append("Event ").append(event.id())
                .append(": acknowledge it with POST /t/").append(tenant).append("/events/").append(event.id()).append("/ack\n");
        int recipients = 0;
        for (UserAccount user : users.all(tenant)) {
            if (user.terminated() || user.email() == null
                    || !(user.roles().contains(Roles.OPERATOR) || user.roles().contains(Roles.TENANT_ADMIN))) {
                continue;
            }
            outbox.send(tenant, new Message(user.id(), user.email(), MESSAGE_KIND, subject, body.toString()));
            recipients++;
        }
        LOG.info("{}: alert {} {} on car {} mailed to {} operators", tenant, event.id(), event.type(), event.carId(), recipients);
        String id = event.id();
        return events(tenant).upsert(id, event, Event::markNotified);
    }

    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n]+", " ");
    }

    private static Map<String, String> bounded(@Nullable Map<String, String> details) {
        Map<String, String> kept = new LinkedHashMap<>();
        if (details == null) {
            return kept;
        }
        new TreeMap<>(details).forEach((k, v) -> {
            if (k != null && v != null && kept.size() < MAX_DETAILS) {
                kept.put(cut(k, MAX_DETAIL_KEY), cut(v, MAX_DETAIL_VALUE));
            }
        });
        return kept;
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    private static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonCollection<Event> events(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), "events", Event.class);
    }

    private JsonCollection<OpenAlerts> index(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), "event-index", OpenAlerts.class);
    }
}
