package io.latchkey.agent;

import io.latchkey.agent.command.CommandProcessor;
import io.latchkey.agent.command.SerialQueue;
import io.latchkey.agent.config.AgentConfig;
import io.latchkey.agent.mqtt.BrokerConnection;
import io.latchkey.agent.telemetry.TelemetryLoop;
import io.latchkey.agent.telemetry.TelemetrySink;
import io.latchkey.agent.vehicle.LockStates;
import io.latchkey.hal.lock.DoorLocks;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.command.CommandAck;
import io.latchkey.protocol.telemetry.DeviceState;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-car program: takes signed commands from the broker and answers them, publishes telemetry,
 * and keeps its retained state current. Assembled by {@link AgentBuilder}; {@link #start()} returns at
 * once and the agent connects (and reconnects) in the background.
 */
public final class Agent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    private final AgentConfig config;
    private final DoorLocks locks;
    private final Clock clock;
    private final BrokerConnection connection;
    private final CommandProcessor commands;
    private final SerialQueue commandQueue;
    private final TelemetryLoop telemetry;
    private final TelemetrySink telemetrySink;
    private final List<AutoCloseable> owned;
    private final String version;
    private final CompletableFuture<Void> firstConnection = new CompletableFuture<>();
    private volatile boolean started;
    private volatile boolean closed;

    Agent(AgentConfig config, DoorLocks locks, Clock clock, BrokerConnection connection, CommandProcessor commands,
          SerialQueue commandQueue, TelemetryLoop telemetry, TelemetrySink telemetrySink, List<AutoCloseable> owned,
          String version) {
        this.config = config;
        this.locks = locks;
        this.clock = clock;
        this.connection = connection;
        this.commands = commands;
        this.commandQueue = commandQueue;
        this.telemetry = telemetry;
        this.telemetrySink = telemetrySink;
        this.owned = List.copyOf(owned);
        this.version = version;
    }

    public static AgentBuilder builder(AgentConfig config) {
        return new AgentBuilder(config);
    }

    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("agent " + config.deviceId() + " already started");
        }
        started = true;
        locks.addListener(state -> {
            if (connection.isConnected() && !closed) {
                publishState(true);
            }
        });
        connection.start(new BrokerConnection.Listener() {
            @Override
            public void connected() {
                publishState(true);
                telemetrySink.connected();
                firstConnection.complete(null);
            }

            @Override
            public void disconnected(Throwable cause) {
                LOG.debug("{}: connection lost: {}", config.deviceId(), cause == null ? "-" : cause.toString());
            }

            @Override
            public void command(byte[] payload) {
                if (!closed) {
                    onCommand(payload);
                }
            }
        });
        telemetry.start();
        LOG.info("{}: agent {} started for tenant {}, broker {}", config.deviceId(), version, config.tenant(), config.mqttUrl());
    }

    /** Completes when the agent has connected to the broker for the first time. */
    public CompletableFuture<Void> firstConnection() {
        return firstConnection;
    }

    public boolean isConnected() {
        return connection.isConnected();
    }

    public AgentConfig config() {
        return config;
    }

    public String version() {
        return version;
    }

    private void onCommand(byte[] payload) {
        long received = System.nanoTime();
        commandQueue.submit(() -> commands.process(payload))
                .thenCompose(ack -> publishAck(ack, received))
                .exceptionally(e -> {
                    LOG.error("{}: command handling failed", config.deviceId(), e);
                    return null;
                });
    }

    private CompletableFuture<Void> publishAck(CommandAck ack, long receivedNanos) {
        LOG.info("{}: command {} -> {}{}{} in {} ms", config.deviceId(), ack.commandId(), ack.outcome(),
                ack.reason() == null ? "" : " " + ack.reason(), ack.duplicate() ? " (duplicate)" : "",
                String.format("%.1f", (System.nanoTime() - receivedNanos) / 1e6));
        return connection.publish(Channel.ACK, Json.write(ack), false);
    }

    private CompletableFuture<Void> publishState(boolean online) {
        DeviceState state = new DeviceState(config.deviceId(), online, LockStates.toWire(locks.state()), clock.instant(), version);
        return connection.publish(Channel.STATE, Json.write(state), true).exceptionally(e -> {
            LOG.debug("{}: state not published: {}", config.deviceId(), e.toString());
            return null;
        });
    }

    /**
     * The graceful shutdown (SIGTERM): stops taking telemetry and commands, lets the command in flight
     * finish and answers it, fsyncs the journal, says goodbye (retained {@code online:false}),
     * disconnects, and releases what it owns.
     */
    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    public synchronized void close(Duration timeout) {
        if (closed) {
            return;
        }
        closed = true;
        telemetry.stop();
        await(commandQueue.idle(), timeout);
        try {
            telemetrySink.close();
        } catch (RuntimeException e) {
            LOG.warn("{}: closing telemetry: {}", config.deviceId(), e.toString());
        }
        if (connection.isConnected()) {
            await(publishState(false), timeout);
        }
        await(connection.close(), timeout);
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("{}: closing {}: {}", config.deviceId(), c, e.toString());
            }
        }
        LOG.info("{}: agent stopped", config.deviceId());
    }

    private void await(CompletableFuture<?> future, Duration timeout) {
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("{}: {} during shutdown", config.deviceId(), e.toString());
        }
    }
}
