package io.latchkey.simulator.scenario;

import io.latchkey.agent.config.AgentConfig;
import io.latchkey.simulator.api.ApiTypes.CommandKey;
import io.latchkey.simulator.api.ApiTypes.DeviceDiscovery;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What provisioning would write into a device's config: its identity, the broker from the tenant's
 * device discovery document, and the tenant's command keys pinned.
 */
public final class AgentConfigs {
    private AgentConfigs() {
    }

    public static AgentConfig fromDiscovery(DeviceDiscovery discovery, String deviceId, Path dataDir,
                                            Duration movingInterval, Duration parkedInterval) {
        AgentConfig.Builder b = AgentConfig.builder()
                .tenant(discovery.tenant())
                .deviceId(deviceId)
                .mqttUrl(discovery.mqttUrl())
                .dataDir(dataDir.resolve(deviceId))
                .movingInterval(movingInterval)
                .parkedInterval(parkedInterval)
                .reconnectDelays(Duration.ofMillis(500), Duration.ofSeconds(30));
        for (CommandKey key : discovery.commandKeys()) {
            if ("Ed25519".equals(key.alg())) {
                b.commandKey(key.kid(), key.publicKey());
            }
        }
        return b.build();
    }
}
