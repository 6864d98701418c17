package io.latchkey.cloud.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.value.MapPropertyResolver;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExternalBrokerTest {

    private static ExternalBroker broker(String backendUrl, Map<String, Object> properties) {
        return new ExternalBroker(backendUrl, new MapPropertyResolver(properties));
    }

    @Test
    void eachTenant_isSentToItsOwnListener_whenOneIsConfigured() {
        ExternalBroker broker = broker("ssl://broker.example:8890", Map.of(
                "latchkey.mqtt.device-urls.acme", "ssl://broker.example:8883",
                "latchkey.mqtt.device-urls.globex", "ssl://broker.example:8884"));

        assertThat(broker.deviceTlsUrl("acme")).contains("ssl://broker.example:8883");
        assertThat(broker.deviceTlsUrl("globex")).contains("ssl://broker.example:8884");
        assertThat(broker.deviceTlsUrl("initech")).contains("ssl://broker.example:8890");
    }

    @Test
    void aTemplate_namesEveryTenantsListener() {
        ExternalBroker broker = broker("ssl://backend.mqtt.example:8883",
                Map.of("latchkey.mqtt.device-url", "ssl://{tenant}.mqtt.example:8883"));

        assertThat(broker.deviceTlsUrl("acme")).contains("ssl://acme.mqtt.example:8883");
    }

    @Test
    void withoutDeviceUrls_aPlainBackendBrokerGivesDevicesNoTlsUrl() {
        assertThat(broker("tcp://127.0.0.1:1883", Map.of()).deviceTlsUrl("acme")).isEmpty();
    }

    @Test
    void aDeviceUrlThatIsNotTls_isRefusedNamingTheKey() {
        ExternalBroker broker = broker("ssl://broker.example:8890",
                Map.of("latchkey.mqtt.device-urls.acme", "tcp://broker.example:1883"));

        assertThatThrownBy(() -> broker.deviceTlsUrl("acme"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("latchkey.mqtt.device-urls.{tenant}");
    }
}
