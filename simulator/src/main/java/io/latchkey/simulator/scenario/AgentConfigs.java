package io.latchkey.simulator.scenario;

import io.latchkey.agent.config.AgentConfig;
import io.latchkey.agent.mqtt.MqttTls;
import io.latchkey.simulator.api.DeviceEnrolment.EnrolledDevice;
import io.latchkey.hal.can.obd.ObdPid;
import io.latchkey.simulator.api.ApiTypes.CommandKey;
import io.latchkey.simulator.api.ApiTypes.DeviceDiscovery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What provisioning would write into a device's config: its identity (key and certificate), the broker from the tenant's
 * device discovery document, and the tenant's command keys pinned. Every car reads its fuel level over
 * OBD-II (an electric car's ECU leaves the request unanswered), once a second rather than the agent's
 * default 100 ms: fuel falls by one step of the PID (0.4 %) in about 3 km, and a thousand agents in one
 * JVM polling ten times a second cost about twice the CPU (docs/simulator.md).
 */
public final class AgentConfigs {
    private static final Duration OBD_INTERVAL = Duration.ofSeconds(1);

    private AgentConfigs() {
    }

    /**
     * @param device the car's key and certificate from {@link io.latchkey.simulator.api.DeviceEnrolment}: it signs
     *               the car's answers and, on the plain listener, its connect tokens
     */
    public static AgentConfig fromDiscovery(DeviceDiscovery discovery, EnrolledDevice device, Path dataDir,
                                            Duration movingInterval, Duration parkedInterval) {
        String deviceId = device.deviceId();
        AgentConfig.Builder b = AgentConfig.builder()
                .tenant(discovery.tenant())
                .deviceId(deviceId)
                .tls(MqttTls.of(List.of(device.certificate()), device.key(), List.of()))
                .mqttUrl(discovery.mqttUrl())
                .dataDir(dataDir.resolve(deviceId))
                .movingInterval(movingInterval)
                .parkedInterval(parkedInterval)
                .reconnectDelays(Duration.ofMillis(500), Duration.ofSeconds(30))
                .obdPids(List.of(ObdPid.FUEL_LEVEL))
                .obdInterval(OBD_INTERVAL);
        for (CommandKey key : discovery.commandKeys()) {
            if ("Ed25519".equals(key.alg())) {
                b.commandKey(key.kid(), key.publicKey());
            }
        }
        for (CommandKey key : device.keySetKeys()) {
            b.keySetKey(key.kid(), key.publicKey());
        }
        return b.build();
    }
}
