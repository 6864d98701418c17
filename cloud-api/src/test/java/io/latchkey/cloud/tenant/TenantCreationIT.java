package io.latchkey.cloud.tenant;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.cloud.audit.AuditLog;
import io.latchkey.cloud.audit.ChainVerification;
import io.latchkey.cloud.it.CloudApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tenant creation is all or nothing: a step that fails leaves no tenant, and the retry creates it, audited once. */
class TenantCreationIT {
    private static final Map<String, String> ACME = Map.of("id", "acme", "name", "Acme cars");

    @TempDir
    Path dataDir;

    @Test
    void aSecretStoreFailure_atTheDeviceCaStep_leavesNoTenant_andTheRetryCreatesIt_auditedOnce() throws IOException {
        try (CloudApp app = CloudApp.start(dataDir, Map.of("test.secrets", "failing"))) {
            String admin = app.adminToken();
            app.context().getBean(FailingSecretStore.class).failNextCreation("acme", "device-ca");

            assertThat(app.http.postJson("/platform/tenants", admin, ACME).status()).isEqualTo(500);
            assertThat(expect(200, app.http.get("/platform/tenants", admin)).body()).doesNotContain("acme");

            expect(201, app.http.postJson("/platform/tenants", admin, ACME));
            assertCreatedOnce(app);
        }
    }

    @Test
    void anAuditFailure_leavesNoTenant_andTheRetryCreatesIt_auditedOnce() throws IOException {
        try (CloudApp app = CloudApp.start(dataDir, Map.of("test.audit", "failing"))) {
            String admin = app.adminToken();
            app.context().getBean(FailingAuditLog.class).failNext("tenant.create");

            assertThat(app.http.postJson("/platform/tenants", admin, ACME).status()).isEqualTo(500);
            assertThat(expect(200, app.http.get("/platform/tenants", admin)).body()).doesNotContain("acme");

            expect(201, app.http.postJson("/platform/tenants", admin, ACME));
            assertCreatedOnce(app);
        }
    }

    private void assertCreatedOnce(CloudApp app) throws IOException {
        String admin = app.adminToken();
        assertThat(expect(200, app.http.get("/platform/tenants", admin)).body()).contains("\"acme\"");
        assertThat(app.http.postJson("/platform/tenants", admin, ACME).status()).as("a second creation").isEqualTo(409);
        expect(201, app.http.postJson("/platform/tenants/acme/admins", admin,
                Map.of("email", "admin@acme.test", "name", "Admin", "password", CloudApp.PASSWORD)));
        assertThat(app.token("acme", "admin@acme.test")).isNotBlank();
        assertThat(Files.readAllLines(dataDir.resolve("tenants/acme/streams/audit.jsonl")))
                .filteredOn(line -> line.contains("\"action\":\"tenant.create\"")).hasSize(1);
        assertThat(app.context().getBean(AuditLog.class).verify("acme")).isEqualTo(ChainVerification.intact(2));
    }
}
