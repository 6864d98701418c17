package io.latchkey.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.simulator.api.ApiTypes.DeviceDiscovery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentTest {
    @TempDir
    Path dir;

    @Test
    void moreThanOneReplica_needsTheSharedStore() {
        assertThatThrownBy(() -> options(2, Deployment.Store.FILE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--store azurite");
        assertThatThrownBy(() -> options(0, Deployment.Store.AZURITE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
        assertThat(options(2, Deployment.Store.AZURITE).replicas()).isEqualTo(2);
        assertThat(options(1, Deployment.Store.FILE).replicas()).isEqualTo(1);
    }

    @Test
    void accountsFromOutside_areCheckedBeforeAnythingStarts_andTheirKeysAreNeverRepeated() {
        String key = java.util.Base64.getEncoder().encodeToString(new byte[64]);
        String account = "AccountName=outside1;AccountKey=" + key + ";BlobEndpoint=http://10.0.0.7:10000/outside1";
        List<String> tenants = List.of("bench", "bench-2");
        assertThatThrownBy(() -> Deployment.checkStoreAccounts(Deployment.Store.FILE, tenants, Map.of("bench", account)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs --store azurite");
        assertThatThrownBy(() -> Deployment.checkStoreAccounts(Deployment.Store.AZURITE, tenants, Map.of("bench-3", account)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bench-3")
                .hasMessageContaining("neither platform nor one of the bench's tenants");
        assertThatThrownBy(() -> Deployment.checkStoreAccounts(Deployment.Store.AZURITE, tenants,
                Map.of("bench", account, "bench-2", account)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not the platform's");
        assertThatThrownBy(() -> Deployment.checkStoreAccounts(Deployment.Store.AZURITE, tenants,
                Map.of("bench", "AccountName=x;BlobEndpoint=http://h/x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bench: ")
                .hasMessageContaining("AccountKey");
        String badKey = "AccountName=x;AccountKey=not*base64*secret;BlobEndpoint=http://h/x";
        assertThatThrownBy(() -> Deployment.checkStoreAccounts(Deployment.Store.AZURITE, tenants, Map.of("bench", badKey)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not base64")
                .message().doesNotContain("not*base64*secret");
        // one tenant from outside, the other (and the platform) on an Azurite of the bench's; or all with the platform
        Deployment.checkStoreAccounts(Deployment.Store.AZURITE, tenants, Map.of("bench-2", account));
        Deployment.checkStoreAccounts(Deployment.Store.AZURITE, tenants,
                Map.of("platform", account, "bench", account, "bench-2", account));
        Deployment.checkStoreAccounts(Deployment.Store.FILE, tenants, Map.of());
    }

    @Test
    void theGeneratedLoadBalancerConfiguration_checksEveryReplica_andRetriesOnlyWhatChangesNothing() {
        String config = Deployment.haproxyConfig("127.0.0.1:9000", List.of("replica-a 127.0.0.1:9001",
                "replica-b 127.0.0.1:9002", "replica-c 127.0.0.1:9003"));
        assertThat(config).contains("bind 127.0.0.1:9000", "option httpchk GET /health",
                "http-request disable-l7-retry unless METH_GET || METH_HEAD",
                "server replica-a 127.0.0.1:9001 check", "server replica-b 127.0.0.1:9002 check",
                "server replica-c 127.0.0.1:9003 check");
    }

    /** A real child JVM with no cars: the line protocol the bench speaks to its fleet processes. */
    @Test
    void aFleetProcess_answersTheBenchOverItsCommandLine() throws Exception {
        BenchCars.Setup setup = new BenchCars.Setup(List.of(new BenchCars.TenantAccess(
                new DeviceDiscovery("bench", "tcp://127.0.0.1:1", List.of()), null)),
                List.of(), dir.resolve("agents"), 60, 50, 1, java.time.Duration.ofSeconds(120));
        try (RemoteBenchFleet fleet = new RemoteBenchFleet(1, setup, List.of(), "128m", dir, System.out)) {
            assertThat(fleet.size()).isZero();
            assertThat(fleet.connected()).isZero();
            assertThat(fleet.pendingRecords()).isZero();
            fleet.mark();
            assertThat(fleet.drainedSinceMark()).isTrue();
            assertThat(fleet.journals()).isEqualTo(Map.of());
            assertThat(fleet.commandInstants(dir)).isEqualTo(Map.of());
            assertThat(dir.resolve("fleet-1-commands.json")).as("written by the fleet process").hasContent("{}");
            assertThat(fleet.processes()).containsOnlyKeys("fleet-1");
            assertThat(fleet.processes().get("fleet-1").getAsLong()).isPositive();
        }
    }

    private Deployment.Options options(int replicas, Deployment.Store store) {
        return new Deployment.Options(dir, dir, replicas, Deployment.Broker.MOSQUITTO, store, List.of("bench"), "1g", List.of(),
                Duration.ofSeconds(10));
    }
}
