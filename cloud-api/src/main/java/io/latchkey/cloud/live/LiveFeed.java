package io.latchkey.cloud.live;

import io.latchkey.cloud.car.CarState;
import io.latchkey.protocol.Json;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * This replica's in-process feed of car changes, per tenant: the features where changes happen (ingestion,
 * the device state, command answers, and new stored events through {@code fleet.LiveEvents}) publish here; the fleet serves it (the fleet view from
 * {@link #latest}, the live stream from {@link #subscribe}). It holds, per tenant, the latest state of every car it
 * saw change (memory, no store read) and the last {@link LiveConfig#replayEvents} events for resuming.
 *
 * <p>Event ids increase per tenant: they start at the wall-clock milliseconds × 1000 of the tenant's first event
 * in this process, so that ids of a later process are higher than those of an earlier one (a resumed client
 * whose id is not in this process's buffer is told to start over, see {@link Subscription#reset}).
 *
 * <p>With more replicas, each one handles only part of the changes (shared subscriptions split ingestion); a
 * {@link #relayTo relay} (the fleet's {@code LiveRelay}, over the broker) hands every change made here to the other
 * replicas, which publish it on their own feed with {@link #publishRemote}, so a stream on any replica sees the
 * whole fleet. Ids stay per replica: a client resuming on another replica than before is {@link Subscription#reset
 * reset}, because each replica's ids carry its own {@link #replicaTag} in their lowest bits.
 *
 * <p>Listeners run on the publishing thread under the tenant's lock, in id order: they must only hand the
 * event on (queue it), never block.
 */
@Singleton
public class LiveFeed {
    /** Ids step by this much; the remainder is this replica's tag, so ids of two replicas never look alike. */
    public static final int ID_STEP = 1024;
    private final Clock clock;
    private final int replayEvents;
    private final int replicaTag;
    private final Map<String, TenantLog> tenants = new ConcurrentHashMap<>();
    private volatile Consumer<LiveEvent> relay;

    public LiveFeed(Clock clock, LiveConfig config) {
        this(clock, config, new java.security.SecureRandom().nextInt(ID_STEP - 1) + 1);
    }

    LiveFeed(Clock clock, LiveConfig config, int replicaTag) {
        this.clock = clock;
        this.replayEvents = config.replayEvents();
        this.replicaTag = replicaTag;
    }

    /** This replica's tag in its event ids (1 to {@link #ID_STEP} - 1, random per process). */
    public int replicaTag() {
        return replicaTag;
    }

    /**
     * Hands every event published here from now on (not those from {@link #publishRemote}) to {@code relay}, on
     * the publishing thread under the tenant's lock: it must only queue it.
     */
    public void relayTo(Consumer<LiveEvent> relay) {
        this.relay = relay;
    }

    /**
     * Publishes a change another replica made ({@link LiveEvent#json} as that replica published it): a state is
     * also kept as the car's latest. Not relayed again. Input that is not a live event is refused. A telemetry state
     * older than one this feed already published for the car is dropped (see {@link #publishState}).
     *
     * @return the event, or null for a dropped state
     * @throws IllegalArgumentException if the type is unknown or the JSON does not fit it
     */
    public LiveEvent publishRemote(String tenant, String carId, String type, String json) {
        if (!io.latchkey.protocol.Topic.isValidTenantId(tenant)) {
            throw new IllegalArgumentException("not a tenant id: " + tenant);
        }
        Object data;
        try {
            data = switch (type) {
                case LiveEvent.STATE, LiveEvent.POSITION -> Json.mapper().readValue(json, LiveState.class);
                case LiveEvent.EVENT -> Json.mapper().readValue(json, LiveDeviceEvent.class);
                default -> throw new IllegalArgumentException("not a live event type: " + type);
            };
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not a live " + type + ": " + e.getMessage(), e);
        }
        String about = data instanceof LiveState s ? s.carId() : ((LiveDeviceEvent) data).carId();
        if (!carId.equals(about)) {
            throw new IllegalArgumentException("the " + type + " is about " + about + ", not " + carId);
        }
        TenantLog log = log(tenant);
        synchronized (log) {
            if (data instanceof LiveState s) {
                if (log.olderThanSeen(s)) {
                    return null;
                }
                log.latest.put(carId, s);
            }
            return log.publish(carId, type, data, json, false);
        }
    }

    /**
     * A listener on one tenant's events, with what it missed since the id it resumed from.
     *
     * @param reset    true when the resume id was not in the buffer (too old, from another process, or not an id):
     *                 events were missed, the client must refetch the fleet view
     * @param replay   the events after the resume id, oldest first (empty on a reset or a fresh start)
     * @param latestId the tenant's latest event id when the listener was added
     */
    public record Subscription(boolean reset, List<LiveEvent> replay, long latestId, Runnable cancel) {
    }

    /**
     * Publishes a car's new state after a change that returned it (telemetry, device state); it is a
     * {@link LiveEvent#POSITION} when the source is telemetry and only position, speed, odometer or readings
     * moved, else a {@link LiveEvent#STATE}.
     *
     * <p>A telemetry state whose {@code lastSeq} is below that of a telemetry state this feed already published for
     * the car publishes nothing: two replicas ingest a car's records side by side and a relayed change may arrive
     * after a newer one of this replica's own (or the other way round), so a stream shows each car's records in
     * the car's order, never one going back.
     *
     * @param readings   the record's readings (null: keep the last known)
     * @param recordedAt when the car recorded it (device clock), or null for now
     * @return the event, or null for a telemetry state older than one already published
     */
    public LiveEvent publishState(String tenant, String carId, String source, CarState state, LiveState.Readings readings,
                                  Instant recordedAt) {
        TenantLog log = log(tenant);
        synchronized (log) {
            LiveState previous = log.latest.get(carId);
            if (LiveState.TELEMETRY.equals(source) && log.olderThanSeen(carId, state.lastSeq())) {
                return null;
            }
            LiveState next = new LiveState(carId, source, state,
                    readings == null ? previous == null ? null : previous.readings() : readings.over(previous == null ? null : previous.readings()),
                    recordedAt == null ? clock.instant() : recordedAt);
            String type = LiveState.TELEMETRY.equals(source) && previous != null && sameSwitches(previous.state(), state)
                    ? LiveEvent.POSITION : LiveEvent.STATE;
            log.latest.put(carId, next);
            return log.publish(carId, type, next, null, true);
        }
    }

    /**
     * Publishes a change whose result the caller does not hold (a command's answer written later): it is applied
     * to the latest state this feed knows, or to {@code whenUnknown} (read once, e.g. from the store) for a car it
     * has not seen since it started. The change must give the same result when applied twice.
     */
    public LiveEvent publishChange(String tenant, String carId, String source, UnaryOperator<CarState> change,
                                   Supplier<CarState> whenUnknown) {
        TenantLog log = log(tenant);
        LiveState known = log.latest.get(carId);
        CarState base = known != null ? known.state() : whenUnknown.get();
        synchronized (log) {
            LiveState current = log.latest.get(carId);
            CarState state = change.apply(current != null ? current.state() : base);
            return publishState(tenant, carId, source, state, null, null);
        }
    }

    /** Publishes an event a car reported. */
    public LiveEvent publishEvent(String tenant, LiveDeviceEvent event) {
        TenantLog log = log(tenant);
        synchronized (log) {
            return log.publish(event.carId(), LiveEvent.EVENT, event, null, true);
        }
    }

    /** The latest state of each car of the tenant this feed has seen or was {@link #seed seeded} with; a live view. */
    public Map<String, LiveState> latest(String tenant) {
        return Collections.unmodifiableMap(log(tenant).latest);
    }

    /** Remembers a car's state read elsewhere (the store) unless the feed already knows a newer one. */
    public void seed(String tenant, String carId, LiveState state) {
        log(tenant).latest.putIfAbsent(carId, state);
    }

    /** A stream's listener: {@link #accept} runs on the publisher's thread under the tenant's lock and must not block. */
    public interface Listener extends Consumer<LiveEvent> {
        /** The resume id was not in the buffer (called before any event); {@code latestId} is the tenant's latest id. */
        void reset(long latestId);
    }

    /**
     * Adds a listener for the tenant's events after {@code lastEventId} (null: from now on): under the tenant's lock
     * it gets either {@link Listener#reset} or the replay, event by event, and then every new event, so that nothing
     * is missed, repeated or out of order between replay and live.
     */
    public Subscription subscribe(String tenant, String lastEventId, Listener listener) {
        TenantLog log = log(tenant);
        synchronized (log) {
            Subscription s = subscribe(tenant, lastEventId, (Consumer<LiveEvent>) listener);
            if (s.reset()) {
                listener.reset(s.latestId());
            }
            s.replay().forEach(listener);
            return s;
        }
    }

    /**
     * Adds a listener for the tenant's events after {@code lastEventId} (null: from now on) and returns what it
     * missed; the caller hands the replay on before what the listener gets only if it holds its own order.
     */
    public Subscription subscribe(String tenant, String lastEventId, Consumer<LiveEvent> listener) {
        TenantLog log = log(tenant);
        synchronized (log) {
            long latest = log.next - ID_STEP;
            boolean reset = false;
            List<LiveEvent> replay = List.of();
            if (lastEventId != null) {
                Long from = parse(lastEventId);
                long oldest = log.ring.isEmpty() ? log.next : log.ring.peekFirst().id();
                if (from == null || from > latest || from < oldest - ID_STEP || Math.floorMod(from, ID_STEP) != replicaTag) {
                    reset = true;
                } else {
                    List<LiveEvent> missed = new ArrayList<>();
                    for (LiveEvent e : log.ring) {
                        if (e.id() > from) {
                            missed.add(e);
                        }
                    }
                    replay = List.copyOf(missed);
                }
            }
            log.listeners.add(listener);
            return new Subscription(reset, replay, latest, () -> log.listeners.remove(listener));
        }
    }

    /** The tenant's latest event id (the one before its first event when it has none yet). */
    public long latestId(String tenant) {
        TenantLog log = log(tenant);
        synchronized (log) {
            return log.next - ID_STEP;
        }
    }

    private static boolean sameSwitches(CarState a, CarState b) {
        return Objects.equals(a.online(), b.online()) && a.lockState() == b.lockState()
                && Objects.equals(a.doorsOpen(), b.doorsOpen()) && Objects.equals(a.ignition(), b.ignition())
                && Objects.equals(a.immobilised(), b.immobilised());
    }

    private static Long parse(String id) {
        try {
            return Long.parseLong(id.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private TenantLog log(String tenant) {
        return tenants.computeIfAbsent(tenant, t -> new TenantLog(t, (clock.millis() * 1000 + 1) * ID_STEP + replicaTag));
    }

    private final class TenantLog {
        final String tenant;
        long next;
        final ArrayDeque<LiveEvent> ring = new ArrayDeque<>();
        final List<Consumer<LiveEvent>> listeners = new CopyOnWriteArrayList<>();
        final Map<String, LiveState> latest = new ConcurrentHashMap<>();
        /** Per car, the highest {@code lastSeq} of a telemetry state published here (under this log's lock). */
        final Map<String, Long> telemetrySeq = new java.util.HashMap<>();

        TenantLog(String tenant, long first) {
            this.tenant = tenant;
            this.next = first;
        }

        /** A telemetry state older than one published already; else remembered as the newest. Under this log's lock. */
        boolean olderThanSeen(LiveState s) {
            return LiveState.TELEMETRY.equals(s.source()) && s.state() != null && olderThanSeen(s.carId(), s.state().lastSeq());
        }

        boolean olderThanSeen(String carId, Long seq) {
            if (seq == null) {
                return false;
            }
            Long seen = telemetrySeq.get(carId);
            if (seen != null && seq < seen) {
                return true;
            }
            telemetrySeq.put(carId, seq);
            return false;
        }

        /** Under this log's lock; {@code json} null: written from {@code data}. */
        LiveEvent publish(String carId, String type, Object data, String json, boolean local) {
            LiveEvent event = new LiveEvent(next, tenant, carId, type, clock.instant(), data,
                    json != null ? json : new String(Json.write(data), StandardCharsets.UTF_8));
            next += ID_STEP;
            ring.addLast(event);
            while (ring.size() > replayEvents) {
                ring.removeFirst();
            }
            for (Consumer<LiveEvent> listener : listeners) {
                listener.accept(event);
            }
            Consumer<LiveEvent> out = relay;
            if (local && out != null) {
                out.accept(event);
            }
            return event;
        }
    }
}
