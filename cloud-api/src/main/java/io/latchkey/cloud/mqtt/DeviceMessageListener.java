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
}
