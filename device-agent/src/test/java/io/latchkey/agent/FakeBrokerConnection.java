package io.latchkey.agent;

import io.latchkey.agent.mqtt.BrokerConnection;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.telemetry.TelemetryBatch;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A broker connection that records what the agent publishes and lets the test deliver commands. Like
 * the cloud behind a real broker, it answers each telemetry batch with its receipt signed by the test
 * tenant's key (when it has a {@link TestCloud}, unless {@link #receipts} is switched off).
 */
public final class FakeBrokerConnection implements BrokerConnection {
    public record Published(Channel channel, byte[] payload, boolean retain) {
    }

    public final List<Published> published = new CopyOnWriteArrayList<>();
    public final byte[] will;
    /** Publishes answered with this error while set, as a broker that drops the connection would. */
    public volatile RuntimeException failWith;
    /** Whether telemetry batches are answered with a receipt, as the cloud does once it stored them. */
    public volatile boolean receipts = true;
    /** How often the agent asked for a fresh broker session. */
    public final java.util.concurrent.atomic.AtomicInteger renewals = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Listener listener;
    private volatile boolean connected;
    private volatile boolean closed;

    private final TestCloud cloud;

    /** A broker that answers no telemetry: the test delivers receipts itself, or needs none. */
    public FakeBrokerConnection(byte[] will) {
        this(will, null);
    }

    /** A broker behind which {@code cloud} receipts every telemetry batch. */
    public FakeBrokerConnection(byte[] will, TestCloud cloud) {
        this.will = will;
        this.cloud = cloud;
    }

    @Override
    public void start(Listener listener) {
        this.listener = listener;
        this.started = true;
    }

    public void connect() {
        connected = true;
        listener.connected();
    }

    public void disconnect() {
        connected = false;
        listener.disconnected(null);
    }

    public void deliver(byte[] command) {
        listener.command(command);
    }

    /** Delivers a message on the revocations channel, as the cloud's retained list would arrive. */
    public void deliverRevocations(byte[] list) {
        listener.revocations(list);
    }

    /** Delivers a message on the cert or keys channel (a renewal answer, the retained key set). */
    public void deliverIdentity(Channel channel, byte[] payload) {
        listener.identity(channel, payload);
    }

    /** Delivers a message on the booking channel, as the cloud's retained next booking would arrive. */
    public void deliverBooking(byte[] message) {
        listener.booking(message);
    }

    /** Whether the agent has a connection started at all (a protected agent does not start one), and suspended it. */
    public volatile boolean started;
    public volatile boolean suspended;

    @Override
    public CompletableFuture<Void> suspend() {
        suspended = true;
        if (connected) {
            connected = false; // a clean disconnect: the agent's listener hears nothing
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Reconnects at once, as a broker in reach would. */
    @Override
    public void resume() {
        suspended = false;
        connect();
    }

    /** Delivers a message on the receipt channel, as the cloud would send it. */
    public void deliverReceipt(byte[] receipt) {
        listener.receipt(receipt);
    }

    public List<Published> on(Channel channel) {
        return published.stream().filter(p -> p.channel() == channel).toList();
    }

    @Override
    public CompletableFuture<Void> publish(Channel channel, byte[] payload, boolean retain) {
        if (failWith != null) {
            return CompletableFuture.failedFuture(failWith);
        }
        published.add(new Published(channel, payload, retain));
        if (channel == Channel.TELEMETRY && receipts && cloud != null && listener != null) {
            listener.receipt(cloud.receiptOf(Json.read(payload, TelemetryBatch.class)));
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void renewSession() {
        renewals.incrementAndGet();
    }

    /** Session checks asked for (subscribing again); each answers what {@link #sessionCheck} supplies. */
    public final java.util.concurrent.atomic.AtomicInteger sessionChecks = new java.util.concurrent.atomic.AtomicInteger();
    public volatile java.util.function.Supplier<CompletableFuture<Void>> sessionCheck = () -> CompletableFuture.completedFuture(null);

    @Override
    public CompletableFuture<Void> checkSession() {
        sessionChecks.incrementAndGet();
        return sessionCheck.get();
    }

    @Override
    public CompletableFuture<Void> probe() {
        return probe.get();
    }

    /** What the watchdog's probe of the connection's loop answers: done at once unless a test stalls it. */
    public volatile java.util.function.Supplier<CompletableFuture<Void>> probe = () -> CompletableFuture.completedFuture(null);

    @Override
    public boolean isConnected() {
        return connected;
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public CompletableFuture<Void> close() {
        closed = true;
        connected = false;
        return CompletableFuture.completedFuture(null);
    }
}
