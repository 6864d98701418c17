package io.latchkey.cloud.fleet;

import io.latchkey.cloud.booking.CarAccess;
import io.latchkey.cloud.identity.Caller;
import io.latchkey.cloud.live.LiveConfig;
import io.latchkey.cloud.live.LiveEvent;
import io.latchkey.cloud.live.LiveFeed;
import io.latchkey.cloud.metrics.LiveMetrics;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * The live streams of {@code GET /t/{tenant}/fleet/stream}. Each stream listens on the {@link LiveFeed}, queues
 * what it gets (at most {@link LiveConfig#connectionQueue} events: a client that falls further behind is dropped,
 * never buffered without bound) and sends only while the connection takes more (Netty's writability: about 64 kB
 * written and not yet taken by the client). Whether the
 * caller may see an event is decided when it is sent, per event: its tenant must be the stream's and, for anybody
 * who does not act for the tenant, a booking of theirs must cover the event's car now ({@link ActiveBookings} from
 * memory first, then {@link CarAccess}, the one rule, trusted for {@link LiveConfig#accessRecheck} per car); so a
 * booking that ends stops the flow. A stream ends when the caller's access token expires.
 */
@Singleton
public class FleetStreams {
    static final String RESET = "reset";

    private final LiveFeed live;
    private final CarAccess access;
    private final ActiveBookings bookings;
    private final LiveMetrics metrics;
    private final LiveConfig config;
    private final Clock clock;
    private final ExecutorService io;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fleet-stream-timer");
        t.setDaemon(true);
        return t;
    });

    public FleetStreams(LiveFeed live, CarAccess access, ActiveBookings bookings, LiveMetrics metrics, LiveConfig config,
                        Clock clock, @Named(TaskExecutors.IO) ExecutorService io) {
        this.live = live;
        this.access = access;
        this.bookings = bookings;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
        this.io = io;
    }

    /**
     * @param carId       only this car's events (null: every car the caller may see)
     * @param lastEventId the id the client resumes after, or null
     * @param expiresAt   when the caller's token expires (the stream ends then), or null
     */
    public Flux<Event<String>> open(String tenant, Caller caller, @Nullable String carId, @Nullable String lastEventId,
                                    @Nullable Instant expiresAt, Transport transport) {
        return Flux.create(sink -> {
            Connection connection = new Connection(tenant, caller, carId, sink, transport);
            connection.start(lastEventId, expiresAt);
        }, FluxSink.OverflowStrategy.ERROR);
    }

    /**
     * The connection under a stream: whether it takes more now (the response's demand alone does not say: the server
     * requests events faster than a slow client reads them), and how to close it at once.
     */
    public interface Transport {
        Transport NONE = new Transport() {
            @Override
            public boolean writable() {
                return true;
            }

            @Override
            public void close() {
            }
        };

        boolean writable();

        void close();
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }

    private final class Connection {
        private final String tenant;
        private final Caller caller;
        private final String carId;
        private final FluxSink<Event<String>> sink;
        private final Transport transport;
        private final AtomicBoolean retryScheduled = new AtomicBoolean();
        private final ArrayDeque<Item> queue = new ArrayDeque<>();
        private final AtomicBoolean finished = new AtomicBoolean();
        private final AtomicBoolean draining = new AtomicBoolean();
        private final Map<String, long[]> decisions = new ConcurrentHashMap<>();
        private volatile boolean closed;
        private volatile boolean sentSinceTick;
        /** While the feed hands over the replay: queued without the bound (the replay buffer bounds it). */
        private boolean replaying;
        private int replayed;
        private Runnable cancel = () -> { };
        private ScheduledFuture<?> keepAlive;
        private ScheduledFuture<?> expiry;

        Connection(String tenant, Caller caller, String carId, FluxSink<Event<String>> sink, Transport transport) {
            this.transport = transport;
            this.tenant = tenant;
            this.caller = caller;
            this.carId = carId;
            this.sink = sink;
        }

        void start(String lastEventId, Instant expiresAt) {
            metrics.opened();
            sink.onDispose(this::close);
            sink.onRequest(n -> scheduleDrain());
            offer(new Item(null, Event.of("").comment("connected")));
            replaying = true;
            LiveFeed.Subscription subscription = live.subscribe(tenant, lastEventId, new LiveFeed.Listener() {
                @Override
                public void accept(LiveEvent e) {
                    onEvent(e);
                }

                @Override
                public void reset(long latestId) {
                    String data = "{\"reason\":\"events after Last-Event-ID " + jsonSafe(lastEventId)
                            + " are no longer kept: fetch /t/" + tenant + "/fleet again\",\"fleet\":\"/t/" + tenant + "/fleet\"}";
                    offer(new Item(null, Event.of(data).name(RESET).id(Long.toString(latestId))));
                }
            });
            synchronized (queue) {
                // the replay (bounded by the feed's buffer) does not count against the bound of live events
                replaying = false;
            }
            cancel = subscription.cancel();
            long every = config.keepAlive().toMillis();
            keepAlive = timer.scheduleAtFixedRate(() -> {
                if (!sentSinceTick) {
                    if (offer(new Item(null, Event.of("").comment("keep-alive")))) {
                        scheduleDrain();
                    }
                }
                sentSinceTick = false;
            }, every, every, TimeUnit.MILLISECONDS);
            if (expiresAt != null) {
                long delay = Math.max(0, Duration.between(clock.instant(), expiresAt).toMillis());
                expiry = timer.schedule(() -> {
                    close();
                    sink.complete();
                }, delay, TimeUnit.MILLISECONDS);
            }
            if (closed) {
                cancel.run();
                if (keepAlive != null) {
                    keepAlive.cancel(false);
                }
            }
            scheduleDrain();
        }

        /** On the publisher's thread: only queue, never block. */
        private void onEvent(LiveEvent e) {
            if (carId != null && !carId.equals(e.carId())) {
                return;
            }
            Event<String> sse = Event.of(e.json()).name(e.type())
                    .id(Long.toString(e.id()));
            if (offer(new Item(e, sse))) {
                scheduleDrain();
            }
        }

        private boolean offer(Item item) {
            synchronized (queue) {
                if (closed) {
                    return false;
                }
                if (replaying) {
                    replayed++;
                    queue.addLast(item);
                    return true;
                }
                if (queue.size() >= config.connectionQueue() + replayed + 1) {
                    closed = true;
                    queue.clear();
                } else {
                    queue.addLast(item);
                    return true;
                }
            }
            metrics.dropped(tenant);
            io.execute(() -> {
                close();
                sink.complete();
                transport.close();
            });
            return false;
        }

        private void scheduleDrain() {
            if (draining.compareAndSet(false, true)) {
                io.execute(this::drain);
            }
        }

        private void drain() {
            while (true) {
                while (!closed && sink.requestedFromDownstream() > 0) {
                    if (!transport.writable()) {
                        // the client is not reading: keep the events queued (bounded) and look again shortly
                        if (retryScheduled.compareAndSet(false, true)) {
                            timer.schedule(() -> {
                                retryScheduled.set(false);
                                scheduleDrain();
                            }, 20, TimeUnit.MILLISECONDS);
                        }
                        break;
                    }
                    Item next;
                    synchronized (queue) {
                        next = queue.pollFirst();
                    }
                    if (next == null) {
                        break;
                    }
                    if (next.source() != null && !allowed(next.source())) {
                        continue;
                    }
                    sentSinceTick = true;
                    sink.next(next.sse());
                }
                draining.set(false);
                boolean more;
                synchronized (queue) {
                    more = !queue.isEmpty();
                }
                if (closed || !more || sink.requestedFromDownstream() <= 0 || !draining.compareAndSet(false, true)) {
                    return;
                }
            }
        }

        /** Whether the caller may see the event now; see the class comment. */
        private boolean allowed(LiveEvent e) {
            if (!tenant.equals(e.tenant())) {
                return false;
            }
            if (caller.actsForTenant()) {
                return true;
            }
            ActiveBookings.ActiveBooking covering = bookings.coveringNow(tenant, e.carId());
            if (covering == null || !caller.is(covering.userId())) {
                return false;
            }
            long now = System.nanoTime();
            long[] decided = decisions.get(e.carId());
            if (decided != null && now - decided[1] < config.accessRecheck().toNanos()) {
                return decided[0] == 1;
            }
            boolean allows = access.allows(tenant, e.carId(), caller);
            decisions.put(e.carId(), new long[] {allows ? 1 : 0, now});
            return allows;
        }

        private void close() {
            synchronized (queue) {
                closed = true;
                queue.clear();
            }
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            cancel.run();
            if (keepAlive != null) {
                keepAlive.cancel(false);
            }
            if (expiry != null) {
                expiry.cancel(false);
            }
            metrics.closed();
        }
    }

    /** A queued event and the live event it came from (null for comments and the reset, sent to everyone). */
    private record Item(@Nullable LiveEvent source, Event<String> sse) {
    }

    private static String jsonSafe(String text) {
        return text == null ? "" : text.replaceAll("[^0-9A-Za-z_.:-]", "?");
    }
}
