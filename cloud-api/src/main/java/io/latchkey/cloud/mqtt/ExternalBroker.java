package io.latchkey.cloud.mqtt;

import io.latchkey.cloud.StartupChecks;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/** A broker run elsewhere ({@code latchkey.mqtt.embedded=false}, {@code latchkey.mqtt.url}). */
@Singleton
@Requires(property = "latchkey.mqtt.embedded", value = "false")
public class ExternalBroker implements MqttEndpoint {
    private final String url;

    public ExternalBroker(MqttConfig config, StartupChecks checks) {
        this.url = config.url();
    }

    @Override
    public String url() {
        return url;
    }
}
