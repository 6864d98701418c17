package io.latchkey.simulator.interop;

import io.latchkey.agent.mqtt.MqttClientKind;

/** {@link BrokerConnectionContract} for the Paho connection against Mosquitto. */
class PahoOnMosquittoContractIT extends MosquittoContract {
    @Override
    MqttClientKind implementation() {
        return MqttClientKind.PAHO;
    }
}
