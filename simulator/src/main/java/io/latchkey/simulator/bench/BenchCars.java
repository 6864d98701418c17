package io.latchkey.simulator.bench;

import io.latchkey.agent.config.AgentConfig;
import io.latchkey.agent.mqtt.MqttTls;
import io.latchkey.simulator.api.ApiTypes.DeviceDiscovery;
import io.latchkey.simulator.api.DeviceEnrolment.EnrolledDevice;
import io.latchkey.simulator.car.CarFactory;
import io.latchkey.simulator.car.CarProfiles;
import io.latchkey.simulator.fleet.Fleet;
import io.latchkey.simulator.route.GeoPoint;
import io.latchkey.simulator.scenario.AgentConfigs;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** How the benchmark makes its cars, the same in its own JVM and in a fleet worker: agent configuration and model. */
final class BenchCars {
    static final GeoPoint CENTRE = new GeoPoint(52.52, 13.405);

    /**
     * How a tenant's cars reach it.
     *
     * @param discovery the tenant's device discovery document
     * @param deviceUrl where its devices connect when not the discovery's URL (Mosquitto's tenant listener), or null
     */
    record TenantAccess(DeviceDiscovery discovery, String deviceUrl) {
    }

    /**
     * @param tenants   each tenant's access, a car names its tenant by index
     * @param brokerCas the broker's CA for the tenants' TLS listeners
     * @param receiptTimeout the agents' telemetry.receipt-timeout, or null for the agent's default
     */
    record Setup(List<TenantAccess> tenants, List<X509Certificate> brokerCas, Path agentsDir,
                 int parkedSeconds, int batchSize, long seed, Duration receiptTimeout) {
        Setup {
            tenants = List.copyOf(tenants);
        }
    }

    /** A car of the bench: its enrolled device and the index of its tenant in {@link Setup#tenants()}. */
    record Car(EnrolledDevice device, int tenant) {
    }

    /**
     * The key-exchange groups the fleet's TLS clients offer ({@code jdk.tls.namedGroups}): x25519 only. The JDK's
     * client otherwise computes a key share for x25519 and one for secp256r1 in every ClientHello, and the broker
     * uses one: the other (a P-256 key pair, about 15 % of a client's handshake CPU on Java 17) was thrown away at
     * every connection. Mosquitto (OpenSSL) and HiveMQ (the JDK) both choose x25519 anyway. A setting of the
     * simulated fleet's JVMs only: the agent on a car keeps the JDK's default list, for brokers without x25519.
     */
    static final String TLS_NAMED_GROUPS = "x25519";

    private BenchCars() {
    }

    /** For a fleet in this JVM: before its first TLS connection (the JDK reads the property once). */
    static void offerOneKeyShare() {
        if (System.getProperty("jdk.tls.namedGroups") == null) {
            System.setProperty("jdk.tls.namedGroups", TLS_NAMED_GROUPS);
        }
    }

    static AgentConfig config(Setup s, Car car) {
        EnrolledDevice device = car.device();
        TenantAccess tenant = s.tenants().get(car.tenant());
        AgentConfig.Builder b = AgentConfigs.fromDiscovery(tenant.discovery(), device, s.agentsDir(), Duration.ofMillis(200),
                Duration.ofSeconds(s.parkedSeconds())).toBuilder().telemetryBatchSize(s.batchSize());
        if (s.receiptTimeout() != null) {
            b.receiptTimeout(s.receiptTimeout());
        }
        if (tenant.deviceUrl() != null) {
            b.mqttUrl(tenant.deviceUrl()).tls(MqttTls.of(List.of(device.certificate()), device.key(), s.brokerCas()));
        }
        return b.build();
    }

    static Fleet fleet(long seed) {
        return new Fleet(new Fleet.Options(Clock.systemUTC(), Duration.ofSeconds(1), 2, 2, 8, seed));
    }

    static CarFactory factory(long seed) {
        return new CarFactory(new CarProfiles(), CENTRE, 3_000, Clock.systemUTC(), Duration.ZERO, seed);
    }
}
