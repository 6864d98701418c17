package io.latchkey.cloud.it;

import io.latchkey.cloud.mqtt.DeviceMessageListener;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Topic;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.Set;

/**
 * One more telemetry listener that waits while held: a telemetry batch whose storing stalls, so that the backend
 * has not acknowledged it to the broker (a message is acknowledged only after its listeners ran).
 */
@Singleton
@Requires(property = HeldTelemetry.ENABLED, value = "true")
public class HeldTelemetry implements DeviceMessageListener {
    public static final String ENABLED = "latchkey.test.hold-telemetry";

    private final Gate gate = new Gate();

    /** From now on, telemetry waits until {@link #release()}. */
    public void hold() {
        gate.close();
    }

    public void release() {
        gate.open();
    }

    /** Telemetry messages waiting right now (not yet acknowledged to the broker). */
    public int waiting() {
        return gate.waiting();
    }

    @Override
    public Set<Channel> channels() {
        return Set.of(Channel.TELEMETRY);
    }

    @Override
    public void onMessage(Topic topic, byte[] payload) {
        gate.pass(java.time.Duration.ofSeconds(60));
    }
}
