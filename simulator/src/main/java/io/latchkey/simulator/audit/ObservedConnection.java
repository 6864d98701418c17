package io.latchkey.simulator.audit;

import io.latchkey.agent.mqtt.BrokerConnection;
import io.latchkey.protocol.Channel;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The agent's real broker connection with the car's {@link CarLedger} listening in: it forwards every
 * call unchanged and notes commands in, answers out and acknowledged telemetry. Once {@link #sever}ed
 * (the process was killed) it forwards nothing more in either direction.
 */
public final class ObservedConnection implements BrokerConnection {
    private final BrokerConnection inner;
    private final CarLedger ledger;
    private volatile boolean severed;

    public ObservedConnection(BrokerConnection inner, CarLedger ledger) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
    }

    @Override
    public void start(Listener listener) {
        inner.start(new Listener() {
            @Override
            public void connected() {
                if (!severed) {
                    ledger.connected();
                    listener.connected();
                }
            }

            @Override
            public void disconnected(Throwable cause) {
                if (!severed) {
                    listener.disconnected(cause);
                }
            }

            @Override
            public void command(byte[] payload) {
                if (!severed) {
                    ledger.commandReceived(payload);
                    listener.command(payload);
                }
            }

            @Override
            public void receipt(byte[] payload) {
                if (!severed) {
                    listener.receipt(payload);
                }
            }

            @Override
            public void revocations(byte[] payload) {
                if (!severed) {
                    listener.revocations(payload);
                }
            }

            @Override
            public void identity(Channel channel, byte[] payload) {
                if (!severed) {
                    listener.identity(channel, payload);
                }
            }

            @Override
            public void booking(byte[] payload) {
                if (!severed) {
                    listener.booking(payload);
                }
            }

            @Override
            public void ota(byte[] payload) {
                if (!severed) {
                    listener.ota(payload);
                }
            }
        });
    }

    @Override
    public CompletableFuture<Void> publish(Channel channel, byte[] payload, boolean retain) {
        if (severed) {
            return CompletableFuture.failedFuture(new IllegalStateException("process killed"));
        }
        if (channel == Channel.ACK) {
            ledger.answerPublished(payload);
        }
        CompletableFuture<Void> sent = inner.publish(channel, payload, retain);
        if (channel == Channel.TELEMETRY) {
            sent.thenRun(() -> ledger.telemetryAcknowledged(payload));
        }
        return sent;
    }

    @Override
    public void renewSession() {
        if (!severed) {
            inner.renewSession();
        }
    }

    @Override
    public CompletableFuture<Void> checkSession() {
        return severed ? CompletableFuture.failedFuture(new IllegalStateException("severed")) : inner.checkSession();
    }

    @Override
    public boolean isConnected() {
        return !severed && inner.isConnected();
    }

    @Override
    public CompletableFuture<Void> suspend() {
        return inner.suspend();
    }

    @Override
    public CompletableFuture<Void> probe() {
        return inner.probe();
    }

    @Override
    public void resume() {
        if (!severed) {
            inner.resume();
        }
    }

    @Override
    public CompletableFuture<Void> close() {
        return inner.close();
    }

    /** The process died: nothing passes any more; the caller then drops the socket. */
    public void sever() {
        severed = true;
    }
}
