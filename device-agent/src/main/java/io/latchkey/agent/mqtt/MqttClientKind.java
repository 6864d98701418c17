package io.latchkey.agent.mqtt;

import io.latchkey.agent.AgentConfigException;
import java.util.Locale;

/**
 * Which MQTT client library carries the agent's {@link BrokerConnection} ({@code mqtt.client}). Both pass
 * the same connection contract; the default is the one measured lighter on the device
 * (docs/benchmarks-agent.md). The Debian package carries only the default's jars, so the other one is
 * refused at start-up there with a message saying so, not later with a missing class.
 */
public enum MqttClientKind {
    /** Eclipse Paho MQTT 5 ({@link PahoBrokerConnection}). */
    PAHO("org.eclipse.paho.mqttv5.client.MqttAsyncClient", "Eclipse Paho (org.eclipse.paho.mqttv5.client)"),
    /** HiveMQ MQTT client ({@link HiveMqBrokerConnection}), on a Netty event loop a simulated fleet shares. */
    HIVEMQ("com.hivemq.client.mqtt.mqtt5.Mqtt5Client", "the HiveMQ MQTT client (hivemq-mqtt-client)");

    public static final String KEY = "mqtt.client";
    /** Chosen by docs/benchmarks-agent.md: 11-12 MB less resident memory with -Xmx48m, 6.6 MB fewer jars in the package. */
    public static final MqttClientKind DEFAULT = PAHO;

    private final String probeClass;
    private final String library;

    MqttClientKind(String probeClass, String library) {
        this.probeClass = probeClass;
        this.library = library;
    }

    /** The configured value ({@code paho} or {@code hivemq}), checked to be known and installed. */
    public static MqttClientKind parse(String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        MqttClientKind kind = switch (v) {
            case "paho" -> PAHO;
            case "hivemq" -> HIVEMQ;
            default -> throw new AgentConfigException(KEY + ": expected 'paho' or 'hivemq', got '" + value + "'");
        };
        return kind.requireInstalled();
    }

    /** This kind, if its library is on the class path; otherwise a configuration error naming the key. */
    public MqttClientKind requireInstalled() {
        try {
            Class.forName(probeClass, false, MqttClientKind.class.getClassLoader());
            return this;
        } catch (ClassNotFoundException | LinkageError e) {
            throw new AgentConfigException(KEY + "=" + configValue() + ": " + library
                    + " is not installed here (the package carries only the client it uses by default, "
                    + DEFAULT.configValue() + "); remove the setting or install the agent with that client");
        }
    }

    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
