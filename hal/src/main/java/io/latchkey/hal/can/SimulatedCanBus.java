package io.latchkey.hal.can;

import io.latchkey.hal.Registration;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bus shared by the agent and a simulated car. The car side {@link #inject}s frames (what its ECUs
 * send), which reach the agent's listeners; frames the agent {@link #send}s reach the car side's
 * {@link #onSend} handlers (an ECU answering an OBD-II request, say); the last {@value #SENT_KEPT} are
 * kept for tests (a bound, since a simulated agent polling OBD-II sends for as long as it runs).
 * Delivery is synchronous on the caller's thread, so tests need not wait.
 */
public final class SimulatedCanBus implements CanBus {
    /** How many of the frames the agent sent {@link #sent()} returns at most. */
    public static final int SENT_KEPT = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedCanBus.class);

    private final Clock clock;
    private final List<Consumer<CanFrame>> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<CanFrame>> carSide = new CopyOnWriteArrayList<>();
    private final Deque<CanFrame> sent = new ArrayDeque<>();
    private volatile boolean closed;

    /** @param clock stamps frames that arrive without a timestamp */
    public SimulatedCanBus(Clock clock) {
        this.clock = clock;
    }

    public SimulatedCanBus() {
        this(Clock.systemUTC());
    }

    /** A frame from the car's side of the bus, delivered to the agent's listeners. */
    public void inject(CanFrame frame) {
        CanFrame stamped = frame.timestamp() != null ? frame : frame.withTimestamp(clock.instant());
        deliver(listeners, stamped);
    }

    /** Registers the car side's handler for frames the agent sends. */
    public void onSend(Consumer<CanFrame> handler) {
        carSide.add(handler);
    }

    /** The last {@value #SENT_KEPT} frames the agent sent, oldest first. */
    public List<CanFrame> sent() {
        synchronized (sent) {
            return new ArrayList<>(sent);
        }
    }

    @Override
    public void send(CanFrame frame) {
        if (closed) {
            throw new CanException("simulated CAN bus is closed");
        }
        CanFrame stamped = frame.timestamp() != null ? frame : frame.withTimestamp(clock.instant());
        synchronized (sent) {
            if (sent.size() == SENT_KEPT) {
                sent.removeFirst();
            }
            sent.addLast(stamped);
        }
        deliver(carSide, stamped);
    }

    @Override
    public Registration addListener(Consumer<CanFrame> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void close() {
        closed = true;
    }

    private void deliver(List<Consumer<CanFrame>> targets, CanFrame frame) {
        if (closed) {
            return;
        }
        for (Consumer<CanFrame> target : targets) {
            try {
                target.accept(frame);
            } catch (RuntimeException e) {
                LOG.warn("CAN listener failed on {}", frame, e);
            }
        }
    }
}
