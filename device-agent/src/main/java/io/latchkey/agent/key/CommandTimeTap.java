package io.latchkey.agent.key;

import io.latchkey.agent.mqtt.BrokerConnection;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Ed25519;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.command.Command;
import io.latchkey.protocol.command.CommandVerifier;
import io.latchkey.protocol.command.SignedCommand;
import io.latchkey.protocol.key.CarTime;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The cloud as the car's time source (docs/offline-keys.md §7): a command that arrives on the live connection and
 * verifies (the tenant's signature, this tenant and device) tells the car the time is its {@code issuedAt}. Wraps the
 * broker connection so the command path itself is untouched: the command still goes to the agent as before, and the
 * time is read beside it, off the connection's thread. The signature is checked by the commands' own
 * {@link CommandVerifier}, its window judged at the command's own issue time (the car's clock is what is being set).
 */
public final class CommandTimeTap implements BrokerConnection {
    private final BrokerConnection delegate;
    private final Map<String, PublicKey> keys;
    private final String tenant;
    private final String deviceId;
    private final CarClock clock;
    private final Executor executor;

    public CommandTimeTap(BrokerConnection delegate, Map<String, PublicKey> keys, String tenant, String deviceId, CarClock clock,
                          Executor executor) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.keys = Map.copyOf(keys);
        this.tenant = tenant;
        this.deviceId = deviceId;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /** Sets the car's clock from a command, if it verifies. */
    public void observe(byte[] payload) {
        try {
            SignedCommand signed = Json.read(payload, SignedCommand.class);
            Command unverified = Json.read(Ed25519.fromBase64url(signed.payload()), Command.class);
            if (unverified.issuedAt() == null) {
                return;
            }
            Command command = new CommandVerifier(keys, tenant, deviceId, Clock.fixed(unverified.issuedAt(), java.time.ZoneOffset.UTC),
                    Duration.ZERO).verify(signed);
            clock.trusted(command.issuedAt(), "a verified command", CarTime.SKEW);
        } catch (RuntimeException e) { // CommandRejectedException, or not JSON at all
            // not a command the car believes: it tells nothing of the time (the command path answers it)
        }
    }

    @Override
    public void start(Listener listener) {
        delegate.start(new Listener() {
            @Override
            public void connected() {
                listener.connected();
            }

            @Override
            public void disconnected(Throwable cause) {
                listener.disconnected(cause);
            }

            @Override
            public void command(byte[] payload) {
                listener.command(payload);
                executor.execute(() -> observe(payload));
            }

            @Override
            public void receipt(byte[] payload) {
                listener.receipt(payload);
            }

            @Override
            public void revocations(byte[] payload) {
                listener.revocations(payload);
            }

            @Override
            public void identity(Channel channel, byte[] payload) {
                listener.identity(channel, payload);
            }

            @Override
            public void booking(byte[] payload) {
                listener.booking(payload);
            }

            @Override
            public void ota(byte[] payload) {
                listener.ota(payload);
            }
        });
    }

    @Override
    public CompletableFuture<Void> publish(Channel channel, byte[] payload, boolean retain) {
        return delegate.publish(channel, payload, retain);
    }

    @Override
    public boolean isConnected() {
        return delegate.isConnected();
    }

    @Override
    public void renewSession() {
        delegate.renewSession();
    }

    @Override
    public CompletableFuture<Void> checkSession() {
        return delegate.checkSession();
    }

    @Override
    public CompletableFuture<Void> suspend() {
        return delegate.suspend();
    }

    @Override
    public CompletableFuture<Void> probe() {
        return delegate.probe();
    }

    @Override
    public void resume() {
        delegate.resume();
    }

    @Override
    public CompletableFuture<Void> close() {
        return delegate.close();
    }
}
