package io.latchkey.cloud.command;

import io.latchkey.cloud.mqtt.DeviceMessageListener;
import io.latchkey.cloud.tenant.TenantDirectory;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Ids;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.MalformedMessageException;
import io.latchkey.protocol.Topic;
import io.latchkey.protocol.command.CommandAck;
import jakarta.inject.Singleton;
import java.util.Set;

/** Hands command acknowledgements to whoever waits for them, or records a late one. */
@Singleton
public class AckListener implements DeviceMessageListener {
    private final PendingCommands pending;
    private final CommandService commands;
    private final TenantDirectory tenants;

    public AckListener(PendingCommands pending, CommandService commands, TenantDirectory tenants) {
        this.pending = pending;
        this.commands = commands;
        this.tenants = tenants;
    }

    @Override
    public Set<Channel> channels() {
        return Set.of(Channel.ACK);
    }

    @Override
    public void onMessage(Topic topic, byte[] payload) {
        CommandAck ack = Json.read(payload, CommandAck.class);
        if (ack.commandId() == null || ack.outcome() == null || !topic.deviceId().equals(ack.deviceId())) {
            throw new MalformedMessageException("ack without command id or outcome, or from another device, on " + topic);
        }
        if (!pending.complete(topic.tenant(), topic.deviceId(), ack) && tenants.exists(topic.tenant())
                && Ids.isValid(ack.commandId())) {
            commands.recordLateAnswer(topic.tenant(), topic.deviceId(), ack);
        }
    }
}
