package io.latchkey.agent.mqtt;

import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.mqttv5.client.internal.CommsCallback;
import org.eclipse.paho.mqttv5.client.internal.CommsReceiver;
import org.eclipse.paho.mqttv5.client.internal.CommsSender;

/**
 * The threads of one Paho client ({@code MqttAsyncClient}'s executor argument), so that a connection does not sleep
 * 0.3 s before its CONNECT (eclipse-paho/paho.mqtt.java#945).
 *
 * <p>Paho's connect thread starts the receiver, the sender and the callback one after the other; each {@code start}
 * starts its thread while holding the lock the new thread needs to say it runs, then polls {@code isRunning()} with
 * {@code Thread.sleep(100)} (and swallows any exception of that sleep). The first poll almost always comes before
 * the new thread ran, so every connection waited 3 x 100 ms with nothing to do. Here the connect thread is woken out of
 * that sleep as soon as the thread it waits for runs: a watcher on this executor's one scheduler thread polls the
 * started part's {@code isRunning()} every {@value #POLL_MICROS} µs and interrupts the connect thread once the part runs
 * and the connect thread is in its timed sleep. Paho's loop then sees the part running and goes on. Only while a part
 * is starting is anything polled (a few milliseconds per connection).
 *
 * <p>Otherwise the threads are Paho's own, as without an executor: each {@code execute} and {@code submit} gets a
 * thread of its own (the receiver, sender and callback loops run until the connection ends; a pool would have to be
 * sized for them), and cancelling a submitted part's future never interrupts it (Paho without an executor never
 * interrupts its threads; it stops them by their state and the socket). The scheduler thread runs Paho's keep-alive
 * pings, in place of the {@code java.util.Timer} thread Paho makes without an executor.
 */
final class PahoThreads extends ScheduledThreadPoolExecutor {
    static final long POLL_MICROS = 200;
    /** A part that has not started by then is left to Paho's own polling. */
    private static final long WATCH_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** How to ask a submitted part whether it runs; null for tasks that are not one of Paho's parts. */
    private final java.util.function.Function<Runnable, BooleanSupplier> parts;
    /** The start being watched (the connect thread starts one part at a time); null when none is. */
    private Starting starting;

    private record Starting(Thread starter, BooleanSupplier running, long deadline) {
    }

    PahoThreads(String name) {
        this(name, PahoThreads::running);
    }

    /** @param parts for tests: which submitted tasks are parts whose starter waits for them, and how to ask them */
    PahoThreads(String name, java.util.function.Function<Runnable, BooleanSupplier> parts) {
        super(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        setRemoveOnCancelPolicy(true);
        this.parts = parts;
    }

    /** Paho's connect and disconnect work: a thread of its own, as Paho makes it without an executor. */
    @Override
    public void execute(Runnable task) {
        if (isShutdown()) {
            throw new RejectedExecutionException("MQTT client closed");
        }
        new Thread(task).start();
    }

    /** One of the receiver, sender and callback loops: a thread of its own, and its starter woken once it runs. */
    @Override
    public Future<?> submit(Runnable task) {
        if (isShutdown()) {
            throw new RejectedExecutionException("MQTT client closed");
        }
        FutureTask<Void> future = new FutureTask<>(task, null) {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                return super.cancel(false);
            }
        };
        new Thread(future).start();
        BooleanSupplier running = parts.apply(task);
        if (running != null) {
            watch(new Starting(Thread.currentThread(), running, System.nanoTime() + WATCH_NANOS));
        }
        return future;
    }

    private static BooleanSupplier running(Runnable task) {
        if (task instanceof CommsReceiver receiver) {
            io.latchkey.agent.StartupTrace.mark("socket"); // Paho starts the receiver once the socket is open (TCP, TLS)
            return receiver::isRunning;
        }
        if (task instanceof CommsSender sender) {
            return sender::isRunning;
        }
        if (task instanceof CommsCallback callback) {
            return callback::isRunning;
        }
        return null;
    }

    private void watch(Starting next) {
        boolean schedule;
        synchronized (this) {
            // a new start by the same thread means it is past the previous one's loop
            schedule = starting == null;
            starting = next;
        }
        if (schedule) {
            poll();
        }
    }

    private void poll() {
        try {
            schedule(this::check, POLL_MICROS, TimeUnit.MICROSECONDS);
        } catch (RejectedExecutionException closed) {
            synchronized (this) {
                starting = null;
            }
        }
    }

    private void check() {
        boolean again;
        synchronized (this) {
            Starting s = starting;
            if (s == null) {
                return;
            }
            if (!s.starter.isAlive() || System.nanoTime() - s.deadline > 0) {
                starting = null;
            } else if (s.running.getAsBoolean() && s.starter.getState() == Thread.State.TIMED_WAITING) {
                // in Paho's Thread.sleep(100) of the start loop, which swallows the interruption and polls again
                s.starter.interrupt();
                starting = null;
            }
            again = starting != null;
        }
        if (again) {
            poll();
        }
    }

    /** For tests: whether a start is being watched. */
    synchronized boolean watching() {
        return starting != null;
    }
}
