package io.latchkey.cloud.secrets.keyvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.okhttp.OkHttpAsyncHttpClientBuilder;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import com.azure.security.keyvault.secrets.SecretServiceVersion;
import io.latchkey.cloud.secrets.SecretStore;
import io.latchkey.cloud.secrets.SecretStoreException;
import io.micronaut.context.env.DefaultEnvironment;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.MapPropertySource;
import io.micronaut.context.exceptions.ConfigurationException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.Dns;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * {@link KeyVaultSecretStore} with the real Azure SDK client (challenge policy, serialisation, error mapping,
 * OkHttp over TLS) against {@link FakeKeyVault}, a local HTTPS server speaking the Key Vault secrets REST API.
 * What this cannot show: Entra ID sign-in (the token comes from a stub credential), Azure RBAC / access policies,
 * throttling (429) and the real service's timing; see docs/storage.md.
 */
class KeyVaultSecretStoreTest {
    private FakeKeyVault vault;
    private FakeKeyVault tenantVault;
    private final List<TokenRequestContext> tokenRequests = new CopyOnWriteArrayList<>();
    private volatile String token = "token-1";

    @BeforeEach
    void start() throws Exception {
        vault = new FakeKeyVault();
        tenantVault = new FakeKeyVault();
    }

    @AfterEach
    void stop() {
        vault.close();
        tenantVault.close();
    }

    @Test
    void aSecretIsCreatedOnce_underItsScopedName_afterTheChallenge_withTheBearerToken() {
        KeyVaultSecretStore store = store();
        assertThat(store.getOrCreate("acme", "device-ca", () -> "pem-of-acme")).isEqualTo("pem-of-acme");
        assertThat(store.getOrCreate("acme", "device-ca", () -> {
            throw new AssertionError("an existing secret is not generated again");
        })).isEqualTo("pem-of-acme");
        assertThat(store.get("acme", "device-ca")).contains("pem-of-acme");

        List<FakeKeyVault.Version> versions = vault.versions("acme--device-2dca");
        assertThat(versions).hasSize(1);
        assertThat(versions.get(0).value).isEqualTo("pem-of-acme");
        assertThat(versions.get(0).tags).containsEntry(KeyVaultSecretStore.TAG, "acme/device-ca");

        // the first request goes without a token and is challenged; every other carries the credential's token
        FakeKeyVault.Request first = vault.requests.get(0);
        assertThat(first.authorization()).isNull();
        assertThat(vault.requests.subList(1, vault.requests.size()))
                .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("Bearer token-1"));
        assertThat(vault.requests).allSatisfy(r -> assertThat(r.apiVersion())
                .isEqualTo(SecretServiceVersion.getLatest().getVersion()));
        assertThat(vault.requests).anySatisfy(r -> {
            assertThat(r.method()).isEqualTo("PUT");
            assertThat(r.path()).isEqualTo("/secrets/acme--device-2dca");
            assertThat(r.body()).contains("pem-of-acme");
        });
        // the value travels in bodies only, never in a path
        assertThat(vault.requests).noneSatisfy(r -> assertThat(r.path()).contains("pem-of-acme"));
        assertThat(tokenRequests).isNotEmpty().allSatisfy(t -> {
            assertThat(t.getScopes()).containsExactly("https://vault.azure.net/.default");
            assertThat(t.getTenantId()).isEqualTo(FakeKeyVault.DIRECTORY_TENANT);
        });
    }

    @Test
    void unknownSecrets_areEmpty_andScopesDoNotSeeEachOther() {
        KeyVaultSecretStore store = store();
        assertThat(store.get("acme", "signing-keys")).isEmpty();
        store.getOrCreate("acme", "signing-keys", () -> "acme-keys");
        store.getOrCreate(SecretStore.PLATFORM, "signing-keys", () -> "platform-keys");
        assertThat(store.get("globex2", "signing-keys")).isEmpty();
        assertThat(store.get(SecretStore.PLATFORM, "signing-keys")).contains("platform-keys");
        assertThat(store.get("acme", "signing-keys")).contains("acme-keys");
        assertThat(vault.versions("platform--signing-2dkeys")).hasSize(1);
    }

    @Test
    void aTenantWithItsOwnVault_keepsItsSecretsThere() {
        KeyVaultSecretStore store = store(Map.of("globex", URI.create(tenantVault.url())));
        store.getOrCreate("globex", "device-ca", () -> "globex-ca");
        store.getOrCreate("acme", "device-ca", () -> "acme-ca");
        assertThat(tenantVault.versions("globex--device-2dca")).extracting(v -> v.value).containsExactly("globex-ca");
        assertThat(vault.versions("globex--device-2dca")).isEmpty();
        assertThat(vault.versions("acme--device-2dca")).extracting(v -> v.value).containsExactly("acme-ca");
        assertThat(tenantVault.versions("acme--device-2dca")).isEmpty();
    }

    @Test
    void update_writesANewVersion_thatEveryReaderSees() {
        KeyVaultSecretStore a = store();
        KeyVaultSecretStore b = store();
        a.getOrCreate("acme", "command-keys", () -> "k1");
        assertThat(b.update("acme", "command-keys", old -> old + ",k2")).isEqualTo("k1,k2");
        assertThat(a.get("acme", "command-keys")).contains("k1,k2");
        assertThat(vault.versions("acme--command-2dkeys")).extracting(v -> v.value).containsExactly("k1", "k1,k2");
        assertThatThrownBy(() -> a.update("acme", "no-such", old -> old)).isInstanceOf(SecretStoreException.class)
                .hasMessageContaining("no secret no-such in acme");
    }

    @Test
    void twoReplicasCreatingOneSecretAtOnce_bothEndWithTheSameValue_andTheLosersVersionIsDisabled() throws Exception {
        KeyVaultSecretStore a = store();
        KeyVaultSecretStore b = store();
        CyclicBarrier bothLookedFirst = new CyclicBarrier(2);
        CompletableFuture<String> fromA = CompletableFuture.supplyAsync(() -> a.getOrCreate("acme", "device-ca", () -> {
            await(bothLookedFirst);
            return "from-a";
        }));
        CompletableFuture<String> fromB = CompletableFuture.supplyAsync(() -> b.getOrCreate("acme", "device-ca", () -> {
            await(bothLookedFirst);
            return "from-b";
        }));
        String valueA = fromA.get(30, TimeUnit.SECONDS);
        String valueB = fromB.get(30, TimeUnit.SECONDS);
        assertThat(valueA).isEqualTo(valueB).isIn("from-a", "from-b");

        List<FakeKeyVault.Version> versions = vault.versions("acme--device-2dca");
        assertThat(versions).hasSize(2);
        assertThat(versions).filteredOn(v -> v.enabled).extracting(v -> v.value).containsExactly(valueA);
        // a reader after the race sees the winner, also when the newest version is the disabled one
        assertThat(store().get("acme", "device-ca")).contains(valueA);
    }

    @Test
    void delete_softDeletesAndPurges_soTheNameCanBeCreatedAgain() {
        KeyVaultSecretStore store = store();
        store.getOrCreate("acme", "user-key-u1", () -> "data-key");
        store.delete("acme", "user-key-u1");
        assertThat(store.get("acme", "user-key-u1")).isEmpty();
        assertThat(vault.deleted).doesNotContainKey("acme--user-2dkey-2du1");
        assertThat(vault.requests).anySatisfy(r -> {
            assertThat(r.method()).isEqualTo("DELETE");
            assertThat(r.path()).isEqualTo("/deletedsecrets/acme--user-2dkey-2du1");
        });
        assertThat(store.getOrCreate("acme", "user-key-u1", () -> "new-key")).isEqualTo("new-key");
        store.delete("acme", "never-there");
    }

    @Test
    void delete_underPurgeProtection_saysTheSecretIsStillRecoverable() {
        KeyVaultSecretStore store = store();
        store.getOrCreate("acme", "user-key-u2", () -> "data-key-2");
        vault.purgeProtection = true;
        assertThatThrownBy(() -> store.delete("acme", "user-key-u2")).isInstanceOf(SecretStoreException.class)
                .hasMessageContaining("cannot purge")
                .hasMessageContaining("deleted but recoverable")
                .hasMessageContaining("HTTP 403")
                .hasMessageNotContaining("data-key-2");
        assertThat(store.get("acme", "user-key-u2")).isEmpty();
        // a deleted, unpurged name cannot be set again: a clear error, not a silent overwrite
        assertThatThrownBy(() -> store.getOrCreate("acme", "user-key-u2", () -> "again"))
                .isInstanceOf(SecretStoreException.class).hasMessageContaining("HTTP 409");
    }

    @Test
    void errorsOfTheVault_areSecretStoreExceptions_namingTheSecretButNeverItsValue() {
        KeyVaultSecretStore store = store();
        store.getOrCreate("acme", "export-link-key", () -> "very-secret-value");
        vault.forbidNext = 1;
        assertThatThrownBy(() -> store.get("acme", "export-link-key")).isInstanceOf(SecretStoreException.class)
                .hasMessageContaining("cannot read secret export-link-key of acme in key vault " + FakeKeyVault.HOST)
                .hasMessageContaining("HTTP 403")
                .hasMessageNotContaining("very-secret-value");
        vault.forbidNext = 1;
        assertThatThrownBy(() -> store.getOrCreate("acme", "other-key", () -> "another-secret-value"))
                .isInstanceOf(SecretStoreException.class)
                .hasMessageNotContaining("another-secret-value");
        // a token the vault does not accept
        vault.acceptedToken = "token-2";
        assertThatThrownBy(() -> store().get("acme", "export-link-key")).isInstanceOf(SecretStoreException.class)
                .hasMessageContaining("HTTP 401");
    }

    @Test
    void names_areDistinctWhateverTheCase_andTooLongOnesAreRefused() {
        assertThat(KeyVaultNames.of("acme", "device-ca")).isEqualTo("acme--device-2dca");
        assertThat(KeyVaultNames.of("acme", "Key")).isNotEqualTo(KeyVaultNames.of("acme", "key"));
        assertThat(KeyVaultNames.of("a-b", "c")).isNotEqualTo(KeyVaultNames.of("a", "b-c"));
        assertThat(KeyVaultNames.of("acme", "k_1.x")).matches("[0-9a-z-]+");
        assertThatThrownBy(() -> KeyVaultNames.of("acme", "x".repeat(130))).isInstanceOf(SecretStoreException.class)
                .hasMessageContaining("at most 127");
    }

    @Test
    void settings_refuseMisconfigurationByName() {
        assertThatThrownBy(() -> settings(Map.of())).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("latchkey.secrets.keyvault.url is required");
        assertThatThrownBy(() -> settings(Map.of("latchkey.secrets.keyvault.url", "http://v.vault.azure.net")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("must be a vault's https URL");
        assertThatThrownBy(() -> settings(Map.of("latchkey.secrets.keyvault.url", "https://v.vault.azure.net",
                "latchkey.secrets.keyvault.credential", "password"))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("credential must be default, managed-identity or client-secret");
        assertThatThrownBy(() -> settings(Map.of("latchkey.secrets.keyvault.url", "https://v.vault.azure.net",
                "latchkey.secrets.keyvault.credential", "client-secret", "latchkey.secrets.keyvault.client-id", "app")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("directory-tenant-id");
        assertThatThrownBy(() -> settings(Map.of("latchkey.secrets.keyvault.url", "https://v.vault.azure.net",
                "latchkey.secrets.keyvault.tenants.acme.url", "https://other.example/path")))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("latchkey.secrets.keyvault.tenants.acme.url");
        KeyVaultSettings ok = settings(Map.of("latchkey.secrets.keyvault.url", "https://v.vault.azure.net",
                "latchkey.secrets.keyvault.tenants.acme.url", "https://acme.vault.azure.net",
                "latchkey.secrets.keyvault.credential", "client-secret", "latchkey.secrets.keyvault.client-id", "app",
                "latchkey.secrets.keyvault.directory-tenant-id", "dir", "latchkey.secrets.keyvault.client-secret", "s3cr3t"));
        assertThat(ok.vaultOf("acme").getHost()).isEqualTo("acme.vault.azure.net");
        assertThat(ok.vaultOf("globex").getHost()).isEqualTo("v.vault.azure.net");
        assertThat(ok.toString()).doesNotContain("s3cr3t");
        // the production credential builds from these settings without contacting anything
        assertThat(KeyVaultSecretStore.credential(ok)).isNotNull();
    }

    private static KeyVaultSettings settings(Map<String, Object> properties) {
        try (Environment environment = new DefaultEnvironment(() -> List.of("test"))) {
            environment.addPropertySource(MapPropertySource.of("test", new HashMap<>(properties)));
            environment.start();
            return KeyVaultSettings.from(environment);
        }
    }

    private KeyVaultSecretStore store() {
        return store(Map.of());
    }

    private KeyVaultSecretStore store(Map<String, URI> tenantVaults) {
        KeyVaultSettings settings = new KeyVaultSettings(URI.create(vault.url()), tenantVaults,
                KeyVaultSettings.Credential.DEFAULT, Optional.empty(), Optional.empty(), Optional.empty());
        return new KeyVaultSecretStore(settings, this::client);
    }

    private SecretClient client(URI vaultUrl) {
        try {
            FakeKeyVault target = vaultUrl.getPort() == tenantVault.port() ? tenantVault : vault;
            TrustManagerFactory trust = target.trust();
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, trust.getTrustManagers(), null);
            OkHttpClient ok = new OkHttpClient.Builder()
                    .sslSocketFactory(tls.getSocketFactory(), (X509TrustManager) trust.getTrustManagers()[0])
                    .dns(host -> host.equals(FakeKeyVault.HOST) ? List.of(InetAddress.getLoopbackAddress()) : Dns.SYSTEM.lookup(host))
                    .build();
            TokenCredential credential = request -> {
                tokenRequests.add(request);
                return Mono.just(new AccessToken(token, OffsetDateTime.now().plusHours(1)));
            };
            return new SecretClientBuilder().vaultUrl(vaultUrl.toString()).credential(credential)
                    .httpClient(new OkHttpAsyncHttpClientBuilder(ok).build())
                    .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ofMillis(1))))
                    .buildClient();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
