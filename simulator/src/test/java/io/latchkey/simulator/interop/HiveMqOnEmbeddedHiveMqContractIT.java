package io.latchkey.simulator.interop;

import io.latchkey.agent.mqtt.MqttClientKind;

/** {@link BrokerConnectionContract} for the HiveMq connection against EmbeddedHiveMq. */
class HiveMqOnEmbeddedHiveMqContractIT extends EmbeddedHiveMqContract {
    @Override
    MqttClientKind implementation() {
        return MqttClientKind.HIVEMQ;
    }
}
