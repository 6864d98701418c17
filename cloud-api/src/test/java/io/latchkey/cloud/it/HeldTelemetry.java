package io.latchkey.cloud.it;

import io.latchkey.cloud.mqtt.DeviceMessageListener;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Topic;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One more telemetry listener that waits while held: a telemetry batch whose storing stalls, so that the backend
 * has not acknowledged it to the broker (a message is acknowledged only after its listeners ran).
 */
@Singleton
@Requires(property = HeldTelemetry.ENABLED, value = "true")
public class HeldTelemetry implements DeviceMessageListener {
    public static final String ENABLED = "latchkey.test.hold-telemetry";

    private volatile CountDownLatch release = new CountDownLatch(0);
    private final AtomicInteger waiting = new AtomicInteger();

    /** From now on, telemetry waits until {@link #release()}. */
    public void hold() {
        release = new CountDownLatch(1);
    }

    public void release() {
        release.countDown();
    }

    /** Telemetry messages waiting right now (not yet acknowledged to the broker). */
    public int waiting() {
        return waiting.get();
    }

    @Override
    public Set<Channel> channels() {
        return Set.of(Channel.TELEMETRY);
    }

    @Override
    public void onMessage(Topic topic, byte[] payload) {
        CountDownLatch latch = release;
        waiting.incrementAndGet();
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            waiting.decrementAndGet();
        }
    }
}
