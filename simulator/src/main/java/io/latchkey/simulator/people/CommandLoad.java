package io.latchkey.simulator.people;

import io.latchkey.simulator.api.ApiException;
import io.latchkey.simulator.api.ApiTypes.CommandResponse;
import io.latchkey.simulator.api.LatchkeyClient;
import io.latchkey.simulator.api.Session;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady rate of UNLOCK and LOCK commands by an operator on parked cars nobody has booked, each car
 * alternating so that it ends as it began (a car is never sent a second command while one is in
 * flight). This is the "10 commands/s" of the benchmark.
 */
public final class CommandLoad implements AutoCloseable {
    private final LatchkeyClient api;
    private final Session operator;
    private final String tenant;
    private final List<String> carIds;
    private final CommandLog log;
    private final Clock clock;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "command-load"));
    private final ExecutorService senders = Executors.newFixedThreadPool(32, r -> daemon(r, "command-sender"));
    private final Map<String, Boolean> unlocked = new ConcurrentHashMap<>();
    private final Map<String, Boolean> busy = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong skipped = new AtomicLong();

    public CommandLoad(LatchkeyClient api, Session operator, String tenant, List<String> carIds, CommandLog log, Clock clock) {
        if (carIds.isEmpty()) {
            throw new IllegalArgumentException("no cars to command");
        }
        this.api = api;
        this.operator = operator;
        this.tenant = tenant;
        this.carIds = List.copyOf(carIds);
        this.log = log;
        this.clock = clock;
    }

    public void start(double perSecond) {
        long periodMicros = Math.max(1, (long) (1_000_000 / perSecond));
        ticker.scheduleAtFixedRate(this::fire, periodMicros, periodMicros, TimeUnit.MICROSECONDS);
    }

    private void fire() {
        String carId = carIds.get(Math.floorMod(next.getAndIncrement(), carIds.size()));
        if (busy.putIfAbsent(carId, Boolean.TRUE) != null) {
            skipped.incrementAndGet();
            return;
        }
        senders.execute(() -> {
            String type = unlocked.getOrDefault(carId, false) ? "LOCK" : "UNLOCK";
            Instant sent = clock.instant();
            try {
                CommandResponse r = api.command(operator.token(), tenant, carId, type);
                log.record("load", carId, r.result() == null ? null : r.result().commandId(), type, r, sent);
                if (r.executed()) {
                    unlocked.put(carId, "UNLOCK".equals(type));
                }
            } catch (ApiException e) {
                log.failed("load", carId, null, type, sent, e.getMessage());
            } finally {
                busy.remove(carId);
            }
        });
    }

    /** Commands not sent because the car's previous one was still in flight. */
    public long skipped() {
        return skipped.get();
    }

    /** Stops sending; waits (bounded) for the commands in flight to be answered. */
    @Override
    public void close() {
        ticker.shutdownNow();
        senders.shutdown();
        try {
            senders.awaitTermination(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
