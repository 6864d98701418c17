package io.latchkey.cloud.command;

import io.latchkey.cloud.metrics.SecurityMetrics;
import io.latchkey.cloud.mqtt.DeviceMessageListener;
import io.latchkey.cloud.mqtt.security.DeviceKeys;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Topic;
import io.latchkey.protocol.command.AckRejectedException;
import io.latchkey.protocol.command.AckVerifier;
import io.latchkey.protocol.command.CommandAck;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands command acknowledgements to whoever waits for them, or records a late one, but only those the
 * device itself signed: the signature must be by the key of the device's active certificate, over a
 * payload naming the tenant and device of the topic. Anything else (unsigned, another key, another device
 * or tenant, no active certificate) is refused, counted and logged, and concludes nothing: the command
 * then times out as for an offline car.
 */
@Singleton
public class AckListener implements DeviceMessageListener {
    private static final Logger LOG = LoggerFactory.getLogger(AckListener.class);

    private final PendingCommands pending;
    private final CommandService commands;
    private final DeviceKeys keys;
    private final SecurityMetrics metrics;
    private final Clock clock;

    public AckListener(PendingCommands pending, CommandService commands, DeviceKeys keys, SecurityMetrics metrics,
                       Clock clock) {
        this.clock = clock;
        this.pending = pending;
        this.commands = commands;
        this.keys = keys;
        this.metrics = metrics;
    }

    @Override
    public Set<Channel> channels() {
        return Set.of(Channel.ACK);
    }

    @Override
    public void onMessage(Topic topic, byte[] payload) {
        Instant received = clock.instant();
        try {
            ECPublicKeyParameters key = keys.activeKey(topic.tenant(), topic.deviceId())
                    .orElseThrow(() -> new AckRejectedException(AckRejectedException.Reason.UNKNOWN_KEY,
                            "no active device certificate"));
            CommandAck ack = AckVerifier.verify(payload, topic.tenant(), topic.deviceId(), key);
            switch (pending.complete(topic.tenant(), topic.deviceId(), ack, received)) {
                case COMPLETED -> { }
                case NOT_WAITING -> commands.recordLateAnswer(topic.tenant(), topic.deviceId(), ack, received);
                case OTHER_DEVICE -> throw new AckRejectedException(AckRejectedException.Reason.WRONG_COMMAND,
                        "command " + ack.commandId() + " was sent to another device");
            }
        } catch (AckRejectedException e) {
            metrics.ackRefused(topic.tenant(), e.reason().name());
            LOG.warn("acknowledgement on {} refused: {}", topic, e.reason());
            throw e;
        }
    }
}
