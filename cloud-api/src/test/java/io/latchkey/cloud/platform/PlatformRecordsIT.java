package io.latchkey.cloud.platform;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.cloud.it.CloudApp;
import io.latchkey.cloud.it.Http;
import io.latchkey.cloud.store.Stores;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Platform-wide data (crash reports, performance counters) goes to the platform store, and only there. */
class PlatformRecordsIT {
    private static final String SECRET = "reset-token-s3cr3t-value";
    private final ObjectMapper json = new ObjectMapper();
    @TempDir
    Path dataDir;
    private CloudApp app;

    @BeforeEach
    void start() {
        app = CloudApp.start(dataDir, Map.of("test.crash-route", "true"));
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void anUnexpectedFault_answers500WithoutStackTrace_andIsRecordedPermanentlyWithoutItsMessage() throws IOException {
        Http.Reply reply = app.http.get("/test-crash/" + SECRET, null);

        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.contentType()).contains("problem+json");
        assertThat(reply.body()).contains("crash report").doesNotContain(SECRET).doesNotContain("at io.latchkey")
                .doesNotContain("IllegalStateException");
        List<JsonNode> reports = platformStream(CrashReports.STREAM);
        assertThat(reports).hasSize(1);
        JsonNode report = reports.get(0);
        assertThat(report.path("route").asText()).isEqualTo("/test-crash/{token}");
        assertThat(report.path("exception").asText()).isEqualTo(IllegalStateException.class.getName());
        assertThat(report.path("frames").get(0).asText()).startsWith(CrashingController.class.getName() + ".crash:");
        assertThat(reply.body()).contains(report.path("fingerprint").asText());
        assertThat(filesContaining(dataDir, SECRET)).isEmpty();
    }

    @Test
    void performanceSnapshots_sumCountersOverTenants_intoThePlatformStore() throws IOException {
        String acmeAdmin = app.tenantWithAdmin("acme");
        assertThat(acmeAdmin).isNotBlank();
        Http.Reply refused = app.http.postForm("/t/acme/oauth/token",
                Map.of("grant_type", "password", "username", "admin@acme.test", "password", "not the right password"));
        assertThat(refused.status()).isEqualTo(400);

        app.context().getBean(PerformanceSnapshots.class).snapshot();

        List<JsonNode> snapshots = platformStream(PerformanceSnapshots.STREAM);
        assertThat(snapshots).hasSize(1);
        JsonNode counters = snapshots.get(0).path("counters");
        assertThat(counters.path("latchkey.signin.failed").asDouble()).isGreaterThanOrEqualTo(1.0);
        assertThat(snapshots.get(0).toString()).doesNotContain("acme");
        assertThat(app.context().getBean(Stores.class).tenant("acme").streams()).doesNotContain(PerformanceSnapshots.STREAM);
    }

    private List<JsonNode> platformStream(String stream) {
        return app.context().getBean(Stores.class).platform().tail(stream, 100).stream().map(bytes -> {
            try {
                return json.readTree(bytes);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static List<Path> filesContaining(Path root, String needle) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(f -> {
                try {
                    return new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1).contains(needle);
                } catch (IOException e) {
                    return false;
                }
            }).toList();
        }
    }
}
