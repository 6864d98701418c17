package io.latchkey.agent.mqtt;

import io.latchkey.agent.AgentException;
import io.latchkey.protocol.Channel;

/** The broker did not accept a publish. */
public class MqttPublishException extends AgentException {
    public MqttPublishException(Channel channel, Throwable cause) {
        super("publish on " + channel.segment() + " failed: " + cause.getMessage(), cause);
    }
}
