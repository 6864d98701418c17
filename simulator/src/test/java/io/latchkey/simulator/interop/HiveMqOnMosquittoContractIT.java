package io.latchkey.simulator.interop;

import io.latchkey.agent.mqtt.MqttClientKind;

/** {@link BrokerConnectionContract} for the HiveMq connection against Mosquitto. */
class HiveMqOnMosquittoContractIT extends MosquittoContract {
    @Override
    MqttClientKind implementation() {
        return MqttClientKind.HIVEMQ;
    }
}
