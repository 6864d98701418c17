package io.latchkey.cloud.mqtt;

import io.latchkey.cloud.LatchkeyCloudException;

/** The broker could not be started, reached or written to. */
public class MqttException extends LatchkeyCloudException {
    public MqttException(String message, Throwable cause) {
        super(message, cause);
    }
}
