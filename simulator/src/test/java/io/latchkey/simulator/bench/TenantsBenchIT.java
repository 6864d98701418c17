package io.latchkey.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sim bench --tenants 2 --store azurite --store-accounts FILE --broker mosquitto}, small and short: each tenant's
 * cars reach it through its own Mosquitto listener, each tenant's telemetry is stored in its own storage account on its
 * own Azurite process (read there, and not in the other's), the command load reaches both tenants' cars, and the audit
 * over both stores finds nothing lost or duplicated. The first tenant's Azurite is the bench's own (with the platform's
 * account); the second tenant's account is from outside the bench ({@code --store-accounts}: an Azurite this test
 * started, as one on another machine would be), which the bench then refuses to reuse once it holds data.
 */
class TenantsBenchIT {
    private static final Path CLOUD_API = Path.of("..", "cloud-api", "target").toAbsolutePath().normalize();
    private static final int CARS_PER_TENANT = 3;

    @TempDir
    Path dir;

    @Test
    void twoTenants_eachStoreTheirOwnTelemetry_inTheirOwnAzurite_oneOfThemFromOutsideTheBench_andTheAuditFindsNothingLost() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/mosquitto")), "mosquitto is not installed (.ci/run installs it)");
        try (Deployment.AzuriteProcess outside = new Deployment.AzuriteProcess(dir.resolve("outside.log"),
                dir.resolve("outside"), List.of("bench2"))) {
            Map<String, String> accounts = Map.of("bench-2", outside.account("bench2").connectionString());
            run(accounts, outside);
            // the account now holds bench-2's data: a second run is refused before anything is started on it
            Deployment.Options again = new Deployment.Options(CLOUD_API, dir.resolve("again"), 1,
                    Deployment.Broker.MOSQUITTO, Deployment.Store.AZURITE, List.of("bench", "bench-2"), "256m", List.of(),
                    Duration.ofSeconds(10), accounts);
            assertThatThrownBy(() -> Deployment.start(again, "unused-admin-password", System.out).close())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("bench-2")
                    .hasMessageContaining("holds blobs").message().doesNotContain(outside.account("bench2").key());
        }
    }

    private void run(Map<String, String> accounts, Deployment.AzuriteProcess outside) throws Exception {
        BenchOptions options = new BenchOptions(CLOUD_API, dir.resolve("work"), 2 * CARS_PER_TENANT, 2, 5, 1, 50, false,
                1, 0, 0, 0, "512m", 42, List.of(), 1, Deployment.Broker.MOSQUITTO, Deployment.Store.AZURITE, 0, "256m", 0,
                // a batch in flight when the broker is killed is sent again after the receipt time-out: 5 s, not 10
                true, false, Duration.ofSeconds(5), 2, 30, accounts);
        Map<String, Long> ownRecords = new LinkedHashMap<>();
        Map<String, Integer> foreignRecords = new LinkedHashMap<>();
        Map<String, String> where = new LinkedHashMap<>();
        BenchReport report = new FleetBench(options, System.out).warmUpSeconds(3).beforeStop(deployment -> {
            assertThat(deployment.tenants()).containsExactly("bench", "bench-2");
            // the bench started an Azurite for bench only: bench-2's account is from outside, and not sampled
            assertThat(deployment.processes()).containsKey("azurite-bench").doesNotContainKey("azurite-bench-2");
            // started through the bench's launcher, with the emulator's extent GC off (azurite-launcher.js says why)
            for (String azurite : List.of("azurite-bench")) {
                try {
                    assertThat(Files.readString(dir.resolve("work").resolve(azurite + ".log"))).contains("extent GC: off");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            for (String tenant : deployment.tenants()) {
                AzuriteCounter store = (AzuriteCounter) deployment.counter(tenant);
                where.put(tenant, store.where());
                try {
                    long own = 0;
                    int foreign = 0;
                    for (String other : deployment.tenants()) {
                        for (int i = 1; i <= CARS_PER_TENANT; i++) {
                            int n = store.seqs(other + "-dev-" + i).size();
                            if (other.equals(tenant)) {
                                own += n;
                            } else {
                                foreign += n;
                            }
                        }
                    }
                    ownRecords.put(tenant, own);
                    foreignRecords.put(tenant, foreign);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }).run();
        JsonNode r = Json.mapper().readTree(report.toJson());

        // two Azurite processes, each with its tenant's account: telemetry of every car, none of the other tenant's
        assertThat(where.get("bench-2")).isEqualTo(outside.endpoint() + "/bench2");
        assertThat(where.get("bench")).isNotEqualTo(where.get("bench-2"));
        assertThat(where.get("bench").replaceFirst("/[^/]+$", "")).isNotEqualTo(where.get("bench-2").replaceFirst("/[^/]+$", ""));
        assertThat(ownRecords.get("bench")).isGreaterThanOrEqualTo(CARS_PER_TENANT);
        assertThat(ownRecords.get("bench-2")).isGreaterThanOrEqualTo(CARS_PER_TENANT);
        assertThat(foreignRecords).containsEntry("bench", 0).containsEntry("bench-2", 0);

        // the command load went to both tenants' cars, each through its own operator
        JsonNode unlock = r.path("unlock");
        assertThat(unlock.path("executed per tenant").path("bench").asLong()).isPositive();
        assertThat(unlock.path("executed per tenant").path("bench-2").asLong()).isPositive();

        // the audit over both stores: every car's records, nothing lost or duplicated, per tenant too
        JsonNode audit = r.path("loss and duplication (fleet run up to the reconnect storm, one broker crash)");
        assertThat(audit.path("lost").asLong(-1)).isZero();
        assertThat(audit.path("duplicated in the store").asLong(-1)).isZero();
        JsonNode perTenant = audit.path("per tenant, each in its own store: stored / lost / duplicated");
        for (String tenant : List.of("bench", "bench-2")) {
            String[] figures = perTenant.path(tenant).asText().split(" / ");
            assertThat(figures).hasSize(3);
            assertThat(Long.parseLong(figures[0])).isPositive().isLessThanOrEqualTo(ownRecords.get(tenant));
            assertThat(figures[1]).isEqualTo("0");
            assertThat(figures[2]).isEqualTo("0");
        }
        assertThat(audit.path("activations without an answer").asLong(-1)).isZero();
        assertThat(audit.path("executed after expiry").asLong(-1)).isZero();

        // the bench's Azurite process sampled, the account from outside named as such
        assertThat(r.path("resources").path("unlock load").has("azurite-bench")).isTrue();
        assertThat(r.path("tenants").asText()).contains("from outside the bench: bench-2");
    }
}
