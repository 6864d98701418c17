package io.latchkey.simulator.rollout;

import io.latchkey.agent.config.AgentConfig;
import io.latchkey.hal.can.obd.ObdPid;
import io.latchkey.protocol.Keys;
import io.latchkey.protocol.device.DeviceKeys;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/**
 * A fleet on a bare broker with the simulator's own rollout stand-in ({@link LocalRollouts}): each car gets its own EC
 * device key (its statuses are verified against the public half), a command key pinned (the agent needs one) and
 * the broker's URL. No backend.
 */
public final class LocalSetup implements FleetRollout.Setup {
    private final String tenant;
    private final String brokerUrl;
    private final int cars;
    private final Map<String, ECPublicKeyParameters> deviceKeys = new LinkedHashMap<>();
    private final Set<String> rented = ConcurrentHashMap.newKeySet();

    public LocalSetup(String tenant, String brokerUrl, int cars) {
        this.tenant = tenant;
        this.brokerUrl = brokerUrl;
        this.cars = cars;
    }

    @Override
    public String tenant() {
        return tenant;
    }

    @Override
    public void updateKey(String keyId, String publicKey) {
        // nothing to register: the stand-in does not check releases, the cars do
    }

    @Override
    public List<AgentConfig> configs(Path agentsDir) throws GeneralSecurityException {
        String commandKey = Keys.encodePublic(Keys.newCommandKeyPair().getPublic());
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        List<AgentConfig> configs = new ArrayList<>();
        for (int i = 1; i <= cars; i++) {
            String deviceId = String.format("car-%04d", i);
            KeyPair device = g.generateKeyPair();
            deviceKeys.put(deviceId, DeviceKeys.verification(device.getPublic()));
            configs.add(AgentConfig.builder().tenant(tenant).deviceId(deviceId).mqttUrl(brokerUrl).commandKey("cmd-1", commandKey)
                    .deviceKey(device.getPrivate()).dataDir(agentsDir.resolve(deviceId)).obdPids(List.of(ObdPid.FUEL_LEVEL))
                    .obdInterval(Duration.ofSeconds(1)).parkedInterval(Duration.ofSeconds(60)).movingInterval(Duration.ofSeconds(5))
                    .reconnectDelays(Duration.ofMillis(500), Duration.ofSeconds(10)).build());
        }
        return configs;
    }

    @Override
    public String carId(String deviceId) {
        return deviceId;
    }

    @Override
    public void rent(String deviceId) {
        rented.add(deviceId);
    }

    @Override
    public RolloutControl control() {
        return new LocalRollouts(tenant, brokerUrl, deviceKeys, rented::contains, Clock.systemUTC());
    }
}
