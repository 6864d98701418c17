package io.latchkey.cloud.mqtt;

/** Where the broker is: the URL the backend connects to and that devices are told to use. */
public interface MqttEndpoint {
    /** {@code tcp://host:port} (or {@code ssl://...}). */
    String url();
}
