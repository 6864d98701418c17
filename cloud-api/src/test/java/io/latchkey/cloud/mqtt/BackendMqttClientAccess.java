package io.latchkey.cloud.mqtt;

/** Test access to {@link BackendMqttClient}'s package-private fault injection. */
public final class BackendMqttClientAccess {
    private BackendMqttClientAccess() {
    }

    public static void loseProbeSubscriptionAtTheBroker(BackendMqttClient client) {
        client.loseProbeSubscriptionAtTheBroker().join();
    }

    public static void loseSubscriptionsAtTheBroker(BackendMqttClient client) {
        client.loseSubscriptionsAtTheBroker().join();
    }
}
