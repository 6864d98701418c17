package io.latchkey.cloud.mqtt;

import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Topic;
import java.util.Set;

/**
 * Consumes device messages of some channels. Called on the device's own ingestion thread, so messages
 * of one device arrive in order; a listener may block briefly (store writes). Throwing drops the
 * message (it is counted), it never stops ingestion.
 */
public interface DeviceMessageListener {
    Set<Channel> channels();

    void onMessage(Topic topic, byte[] payload);

    /**
     * A car's answer (channel {@code ack}) as the ingestion connection received it. Every answer reaches a replica
     * twice: on the command connection ({@link #onMessage}, on a thread of answers only, acknowledged to the broker at
     * once, for the answers this replica waits for) and here (on the car's ingestion thread, acknowledged once this
     * returns, for every other answer: late ones, and those of commands another replica sent, which need the store).
     * A listener handles each answer in one of the two. The default ignores the copy.
     */
    default void onAnswerCopy(Topic topic, byte[] payload) {
    }
}
