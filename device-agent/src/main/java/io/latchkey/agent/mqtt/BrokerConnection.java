package io.latchkey.agent.mqtt;

import io.latchkey.protocol.Channel;
import java.util.concurrent.CompletableFuture;

/**
 * The agent's one connection to the broker, on its own device's topics only. It connects in the
 * background and keeps reconnecting until closed; every (re)connection re-subscribes to the command
 * and receipt channels. The agent talks to this interface so that its logic is tested against a fake.
 */
public interface BrokerConnection {
    /** Called from the connection's I/O threads: implementations must return quickly. */
    interface Listener {
        /** Connected, and the broker has confirmed the subscriptions to the command and receipt channels. */
        void connected();

        void disconnected(Throwable cause);

        /** A message on this device's {@code cmd} channel, as received. */
        void command(byte[] payload);

        /** A message on this device's {@code receipt} channel (telemetry stored by the cloud), as received. */
        void receipt(byte[] payload);

        /** A message on this device's {@code revocations} channel (the tenant's signed list of revoked offline keys), as received. */
        default void revocations(byte[] payload) {
        }

        /** A message on this device's {@code ota} channel (an update offer, docs/ota.md), as received. */
        default void ota(byte[] payload) {
        }

        /** A message on this device's {@code cert} (renewal answers) or {@code keys} (the signed key set) channel. */
        default void identity(Channel channel, byte[] payload) {
        }

        /** A message on this device's {@code booking} channel (when its next booking starts, retained), as received. */
        default void booking(byte[] payload) {
        }
    }

    /**
     * This device's topics it subscribes to ({@link Channel#toCar()}), by topic name: what an implementation subscribes
     * to at every connection, and how it tells a message's channel.
     */
    static java.util.Map<String, Channel> subscriptions(String tenant, String deviceId) {
        java.util.Map<String, Channel> topics = new java.util.LinkedHashMap<>();
        for (Channel c : Channel.toCar()) {
            topics.put(io.latchkey.protocol.Topic.of(tenant, deviceId, c).name(), c);
        }
        return java.util.Collections.unmodifiableMap(topics);
    }

    /** Hands a message on one of this device's cloud-to-car channels to the listener's method for that channel. */
    static void deliver(Listener listener, Channel channel, byte[] payload) {
        switch (channel) {
            case CMD -> listener.command(payload);
            case RECEIPT -> listener.receipt(payload);
            case REVOCATIONS -> listener.revocations(payload);
            case OTA -> listener.ota(payload);
            case CERT, KEYS -> listener.identity(channel, payload);
            case BOOKING -> listener.booking(payload);
            default -> throw new IllegalArgumentException(channel + " is not a channel to the car");
        }
    }

    /** Starts connecting; returns at once. */
    void start(Listener listener);

    /**
     * Publishes on one of this device's channels at the channel's QoS ({@link Channel#qos()}); completes when the
     * broker acknowledged it (QoS 1) or when it was written to the connection (QoS 0: a command's answer).
     */
    CompletableFuture<Void> publish(Channel channel, byte[] payload, boolean retain);

    boolean isConnected();

    /**
     * Drops this device's session at the broker and starts a fresh one (reconnect with a clean start,
     * subscribe again): the repair when the session stopped delivering while the connection looks fine,
     * as a broker restarted from a crash can leave one. Messages queued in the old session are lost
     * (commands in it would be about to expire anyway). Nothing happens while not connected.
     */
    default void renewSession() {
    }

    /**
     * Subscribes again to this device's channels on the live connection and completes when the broker confirmed
     * every subscription (SUBACK without an error code); fails when not connected, when the broker refuses, or when
     * no SUBACK comes. The cheap check of a session whose receipts stopped: a broker that lost the subscriptions
     * (restarted from a crash) has them again, and one that answers is alive, so a slow cloud is not mistaken for a
     * dead session; only a failed check calls for {@link #renewSession()}. Subscribing again is harmless (the broker
     * replaces the subscription; retained messages arrive anew). The default, for connections that cannot check,
     * completes at once.
     */
    default CompletableFuture<Void> checkSession() {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Power states: disconnects cleanly (no last will: the agent has published its sleeping state) and does not
     * reconnect until {@link #resume()}. The default does nothing (a connection that cannot sleep stays on).
     */
    default CompletableFuture<Void> suspend() {
        return CompletableFuture.completedFuture(null);
    }

    /** Connects again after {@link #suspend()}, into the persistent session (commands queued meanwhile arrive). */
    default void resume() {
    }

    /**
     * The systemd watchdog's health probe (docs/ota.md §8): completes once the connection's own loop (the thread that
     * reconnects) has run it; fails when that loop is gone. Connected or not does not matter: an offline car whose loop
     * keeps trying is healthy. The default, for connections without a loop of their own, completes at once.
     */
    default CompletableFuture<Void> probe() {
        return CompletableFuture.completedFuture(null);
    }

    /** Disconnects cleanly (no last will) and stops reconnecting. */
    CompletableFuture<Void> close();
}
