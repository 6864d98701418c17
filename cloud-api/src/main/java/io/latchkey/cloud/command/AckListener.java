package io.latchkey.cloud.command;

import io.latchkey.cloud.metrics.SecurityMetrics;
import io.latchkey.cloud.mqtt.DeviceMessageListener;
import io.latchkey.cloud.mqtt.security.DeviceKeys;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Topic;
import io.latchkey.protocol.command.AckRejectedException;
import io.latchkey.protocol.command.AckVerifier;
import io.latchkey.protocol.command.CommandAck;
import io.latchkey.protocol.command.SignedAck;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands command acknowledgements to whoever waits for them, or records a late one, but only those the
 * device itself signed: the signature must be by the key of the device's active certificate, over a
 * payload naming the tenant and device of the topic. Anything else (unsigned, another key, another device
 * or tenant, no active certificate) is refused, counted and logged, and concludes nothing: the command
 * then times out as for an offline car.
 *
 * <p>Every answer reaches the replica twice ({@link DeviceMessageListener#onAnswerCopy}). On the command connection
 * only the answers this replica waits for are verified and handed over, with the device key the command path read
 * ahead: nothing there waits on the store. Every other answer (late, or of a command another replica sent) is handled
 * from the ingestion connection's copy, where reading the device's key and the command's record may take the
 * store's time. An answer that comes on the command connection just after this replica gave up on its command is
 * handed to an I/O thread for the same (its copy may have come while the command was still waited for).
 */
@Singleton
public class AckListener implements DeviceMessageListener {
    private static final Logger LOG = LoggerFactory.getLogger(AckListener.class);

    private final PendingCommands pending;
    private final CommandService commands;
    private final DeviceKeys keys;
    private final SecurityMetrics metrics;
    private final Clock clock;
    private final ExecutorService io;

    public AckListener(PendingCommands pending, CommandService commands, DeviceKeys keys, SecurityMetrics metrics,
                       Clock clock, @Named(TaskExecutors.IO) ExecutorService io) {
        this.clock = clock;
        this.io = io;
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
        Optional<String> commandId = commandId(payload);
        if (commandId.isEmpty()) {
            return; // not readable as an answer: its copy is refused and counted
        }
        if (!pending.isWaiting(topic.tenant(), commandId.get())) {
            if (pending.howConcluded(topic.tenant(), commandId.get()) == PendingCommands.Concluded.GAVE_UP) {
                handOff(topic, payload, received);
            }
            return; // another replica's, or answered here already: the copy is for the store's work
        }
        CommandAck ack = verified(topic, payload);
        switch (pending.complete(topic.tenant(), topic.deviceId(), ack, received)) {
            case COMPLETED -> { }
            case NOT_WAITING -> handOff(topic, payload, received); // given up on a moment ago
            case OTHER_DEVICE -> refuse(topic, new AckRejectedException(AckRejectedException.Reason.WRONG_COMMAND,
                    "command " + ack.commandId() + " was sent to another device"));
        }
    }

    @Override
    public void onAnswerCopy(Topic topic, byte[] payload) {
        Instant received = clock.instant();
        Optional<String> commandId = commandId(payload);
        if (commandId.isPresent() && (pending.isWaiting(topic.tenant(), commandId.get())
                || pending.howConcluded(topic.tenant(), commandId.get()) == PendingCommands.Concluded.ANSWERED)) {
            return; // the command connection's copy is (or was) handed to the caller waiting here
        }
        late(topic, payload, received);
    }

    /** An answer no caller of this replica waits for: verified, then recorded as late if its command's record says so. */
    private void late(Topic topic, byte[] payload, Instant received) {
        CommandAck ack = verified(topic, payload);
        switch (pending.complete(topic.tenant(), topic.deviceId(), ack, received)) {
            case COMPLETED -> { }
            case NOT_WAITING -> commands.recordLateAnswer(topic.tenant(), topic.deviceId(), ack, received);
            case OTHER_DEVICE -> refuse(topic, new AckRejectedException(AckRejectedException.Reason.WRONG_COMMAND,
                    "command " + ack.commandId() + " was sent to another device"));
        }
    }

    private void handOff(Topic topic, byte[] payload, Instant received) {
        try {
            io.execute(() -> {
                try {
                    late(topic, payload, received);
                } catch (RuntimeException e) {
                    LOG.debug("late answer on {} not recorded: {}", topic, e.toString());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down
        }
    }

    /** The answer, its signature checked against the device's active key; refused (counted, logged, thrown) if not. */
    private CommandAck verified(Topic topic, byte[] payload) {
        try {
            ECPublicKeyParameters key = keys.activeKey(topic.tenant(), topic.deviceId())
                    .orElseThrow(() -> new AckRejectedException(AckRejectedException.Reason.UNKNOWN_KEY,
                            "no active device certificate"));
            return AckVerifier.verify(payload, topic.tenant(), topic.deviceId(), key);
        } catch (AckRejectedException e) {
            throw refuse(topic, e);
        }
    }

    private AckRejectedException refuse(Topic topic, AckRejectedException e) {
        metrics.ackRefused(topic.tenant(), e.reason().name());
        LOG.warn("acknowledgement on {} refused: {}", topic, e.reason());
        throw e;
    }

    /** The command id the answer names, read without checking it: only to choose which copy handles it. */
    private static Optional<String> commandId(byte[] payload) {
        try {
            return Optional.ofNullable(SignedAck.readUnverified(payload).commandId());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
