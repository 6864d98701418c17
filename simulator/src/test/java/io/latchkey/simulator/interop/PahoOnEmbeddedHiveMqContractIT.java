package io.latchkey.simulator.interop;

import io.latchkey.agent.mqtt.MqttClientKind;

/** {@link BrokerConnectionContract} for the Paho connection against EmbeddedHiveMq. */
class PahoOnEmbeddedHiveMqContractIT extends EmbeddedHiveMqContract {
    @Override
    MqttClientKind implementation() {
        return MqttClientKind.PAHO;
    }
}
