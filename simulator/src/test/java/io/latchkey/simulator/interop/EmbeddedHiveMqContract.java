package io.latchkey.simulator.interop;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.latchkey.agent.config.AgentConfig;
import io.latchkey.agent.mqtt.BrokerEndpoint;
import io.latchkey.simulator.broker.ManagedBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.Base64;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The contract against the embedded HiveMQ CE broker (the simulator's {@link ManagedBroker}, sessions in memory) on its
 * plain listener, where the device names itself with its client id and a signed connect token.
 */
abstract class EmbeddedHiveMqContract extends BrokerConnectionContract {
    @Override
    ContractBroker startBroker() throws Exception {
        Path home = Files.createTempDirectory("contract-hivemq-");
        ManagedBroker hivemq = new ManagedBroker(home, 0, false);
        return new ContractBroker() {
            @Override
            public BrokerEndpoint endpoint(String deviceId) throws Exception {
                KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
                ec.initialize(new ECGenParameterSpec("secp256r1"));
                KeyPairGenerator ed = KeyPairGenerator.getInstance("Ed25519");
                AgentConfig config = AgentConfig.builder().tenant("acme").deviceId(deviceId).mqttUrl(hivemq.url())
                        .commandKey("cmd-1", Base64.getEncoder().encodeToString(ed.generateKeyPair().getPublic().getEncoded()))
                        .dataDir(home.resolve(deviceId)).deviceKey(ec.generateKeyPair().getPrivate())
                        .sessionExpiry(SESSION_EXPIRY).build();
                BrokerEndpoint endpoint = config.brokerEndpoint(Clock.systemUTC(), new SplittableRandom());
                if (endpoint.credentials() == null || endpoint.mutualTls()) {
                    throw new IllegalStateException("the plain listener needs connect-token credentials");
                }
                return endpoint;
            }

            @Override
            public Mqtt5AsyncClient observer() throws Exception {
                Mqtt5AsyncClient cloud = Mqtt5Client.builder().identifier("cloud-" + System.nanoTime())
                        .serverHost("127.0.0.1").serverPort(hivemq.port()).buildAsync();
                cloud.connect().get(15, TimeUnit.SECONDS);
                return cloud;
            }

            @Override
            public void restart() {
                hivemq.stop();
                hivemq.start();
            }

            @Override
            public void close() {
                hivemq.close();
            }
        };
    }
}
