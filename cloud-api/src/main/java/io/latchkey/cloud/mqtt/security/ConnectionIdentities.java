package io.latchkey.cloud.mqtt.security;

import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import java.util.Optional;

/** Keeps the verified identity with the connection, where the authorizers find it again. */
final class ConnectionIdentities {
    static final String KEY = "io.latchkey.identity";

    private ConnectionIdentities() {
    }

    static void put(ConnectionAttributeStore store, MqttIdentity identity) {
        store.putAsString(KEY, identity.encode());
    }

    static Optional<MqttIdentity> get(ConnectionAttributeStore store) {
        return store.getAsString(KEY).flatMap(MqttIdentity::decode);
    }
}
