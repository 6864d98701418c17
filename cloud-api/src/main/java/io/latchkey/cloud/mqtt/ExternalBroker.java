package io.latchkey.cloud.mqtt;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.core.value.PropertyResolver;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * A broker run elsewhere ({@code latchkey.mqtt.embedded=false}, {@code latchkey.mqtt.url}). Devices
 * may be sent to other listeners than the backend's: {@code latchkey.mqtt.device-urls.{tenant}} names
 * a tenant's own listener (Mosquitto runs one per tenant CA, see docs/mosquitto), and
 * {@code latchkey.mqtt.device-url} is the default for every tenant, where {@code {tenant}} is replaced
 * by the tenant id.
 */
@Singleton
@Requires(property = "latchkey.mqtt.embedded", value = "false")
public class ExternalBroker implements MqttEndpoint {
    static final String DEVICE_URLS = "latchkey.mqtt.device-urls.";
    static final String DEVICE_URL = "latchkey.mqtt.device-url";

    private final String url;
    private final PropertyResolver properties;

    @Inject
    public ExternalBroker(MqttConfig config, java.util.List<io.latchkey.cloud.ConfigurationCheck> checks, Environment environment) {
        this(config.url(), environment);
    }

    ExternalBroker(String url, PropertyResolver properties) {
        this.url = url;
        this.properties = properties;
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public Optional<String> deviceTlsUrl(String tenant) {
        Optional<String> own = properties.get(DEVICE_URLS + tenant, String.class);
        if (own.isPresent()) {
            return own.map(ExternalBroker::requireSsl);
        }
        Optional<String> template = properties.get(DEVICE_URL, String.class);
        if (template.isPresent()) {
            return template.map(t -> requireSsl(t.replace("{tenant}", tenant)));
        }
        return deviceTlsUrl();
    }

    private static String requireSsl(String deviceUrl) {
        if (!deviceUrl.startsWith("ssl://")) {
            throw new io.micronaut.context.exceptions.ConfigurationException(
                    "device broker URLs (" + DEVICE_URL + ", " + DEVICE_URLS + "{tenant}) must be ssl://host:port, got '"
                            + deviceUrl + "'");
        }
        return deviceUrl;
    }
}
