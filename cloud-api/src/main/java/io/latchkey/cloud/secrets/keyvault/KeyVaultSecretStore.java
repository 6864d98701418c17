package io.latchkey.cloud.secrets.keyvault;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.okhttp.OkHttpAsyncHttpClientBuilder;
import com.azure.core.util.polling.SyncPoller;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import com.azure.security.keyvault.secrets.models.DeletedSecret;
import com.azure.security.keyvault.secrets.models.KeyVaultSecret;
import com.azure.security.keyvault.secrets.models.SecretProperties;
import io.latchkey.cloud.secrets.SecretStore;
import io.latchkey.cloud.secrets.SecretStoreException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * {@code latchkey.secrets.type=keyvault}: secrets in Azure Key Vault, through the Azure SDK's {@link SecretClient}
 * (challenge-based bearer authentication with an azure-identity credential, HTTP over OkHttp). One vault
 * ({@code latchkey.secrets.keyvault.url}) holds the platform's secrets and those of every tenant without a vault of
 * its own ({@code latchkey.secrets.keyvault.tenants.{tenant}.url}); a secret is named
 * {@link KeyVaultNames#of scope--name}, so tenants sharing a vault never share a secret.
 *
 * <p>Key Vault has no conditional write: every set adds a version. Creation therefore settles races by rule: the
 * oldest enabled version (by creation time, then version id) is the secret; a creator that finds an older version
 * than its own disables its own and returns the older value, so every replica ends with the same one. A reader
 * between the two steps may see the losing value for that moment (milliseconds). {@link #update} (key rotation, an
 * administrator's action) writes a new version: last writer wins, it is not a compare-and-swap.
 *
 * <p>Values never appear in a log or an exception message; the SDK's HTTP logging stays off.
 */
@Singleton
@Requires(property = "latchkey.secrets.type", value = KeyVaultSecretStore.TYPE)
public final class KeyVaultSecretStore implements SecretStore {
    public static final String TYPE = "keyvault";
    /** Tag on a version written by {@link #getOrCreate}, for operators reading the vault. */
    static final String TAG = "latchkey";
    private static final Duration DELETE_POLL = Duration.ofMillis(200);
    private static final Duration DELETE_WAIT = Duration.ofSeconds(60);

    private final KeyVaultSettings settings;
    private final Function<URI, SecretClient> clientFactory;
    private final Map<URI, SecretClient> clients = new ConcurrentHashMap<>();

    @Inject
    public KeyVaultSecretStore(Environment environment) {
        this(KeyVaultSettings.from(environment));
    }

    private KeyVaultSecretStore(KeyVaultSettings settings) {
        this(settings, productionClients(settings));
    }

    /** With the clients a test builds (another HTTP client, no retries). */
    public KeyVaultSecretStore(KeyVaultSettings settings, Function<URI, SecretClient> clientFactory) {
        this.settings = settings;
        this.clientFactory = clientFactory;
    }

    private static Function<URI, SecretClient> productionClients(KeyVaultSettings settings) {
        TokenCredential credential = credential(settings);
        HttpClient http = new OkHttpAsyncHttpClientBuilder().build();
        return vault -> new SecretClientBuilder().vaultUrl(vault.toString()).credential(credential).httpClient(http)
                .buildClient();
    }

    static TokenCredential credential(KeyVaultSettings settings) {
        return switch (settings.credential()) {
            case DEFAULT -> {
                DefaultAzureCredentialBuilder builder = new DefaultAzureCredentialBuilder();
                settings.clientId().ifPresent(builder::managedIdentityClientId);
                yield builder.build();
            }
            case MANAGED_IDENTITY -> {
                ManagedIdentityCredentialBuilder builder = new ManagedIdentityCredentialBuilder();
                settings.clientId().ifPresent(builder::clientId);
                yield builder.build();
            }
            case CLIENT_SECRET -> new ClientSecretCredentialBuilder().tenantId(settings.directoryTenant().orElseThrow())
                    .clientId(settings.clientId().orElseThrow()).clientSecret(settings.clientSecret().orElseThrow()).build();
        };
    }

    @Override
    public Optional<String> get(String scope, String name) {
        String vaultName = KeyVaultNames.of(scope, name);
        SecretClient client = client(scope);
        try {
            return Optional.of(client.getSecret(vaultName).getValue());
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (HttpResponseException e) {
            if (status(e) == 403 && isDisabled(e)) {
                // the newest version was disabled (a creator that lost a race, or an operator): the newest enabled one
                return newestEnabled(client, vaultName).map(v -> read(client, vaultName, v.getVersion(), scope, name));
            }
            throw failure("read", scope, name, e);
        } catch (RuntimeException e) {
            throw failure("read", scope, name, e);
        }
    }

    @Override
    public String getOrCreate(String scope, String name, Supplier<String> generator) {
        Optional<String> existing = get(scope, name);
        if (existing.isPresent()) {
            return existing.get();
        }
        String vaultName = KeyVaultNames.of(scope, name);
        SecretClient client = client(scope);
        String value = generator.get();
        KeyVaultSecret mine;
        try {
            KeyVaultSecret secret = new KeyVaultSecret(vaultName, value);
            secret.setProperties(new SecretProperties().setTags(Map.of(TAG, scope + "/" + name)));
            mine = client.setSecret(secret);
        } catch (RuntimeException e) {
            throw failure("create", scope, name, e);
        }
        SecretProperties winner = oldestEnabled(client, vaultName).orElse(mine.getProperties());
        if (winner.getVersion().equals(mine.getProperties().getVersion())) {
            return value;
        }
        // another replica created it first: everybody uses that one, and ours is switched off
        try {
            client.updateSecretProperties(mine.getProperties().setEnabled(false));
        } catch (RuntimeException e) {
            throw failure("disable the duplicate version of", scope, name, e);
        }
        return read(client, vaultName, winner.getVersion(), scope, name);
    }

    @Override
    public String update(String scope, String name, UnaryOperator<String> change) {
        String current = get(scope, name).orElseThrow(() -> new SecretStoreException("no secret " + name + " in " + scope, null));
        String value = change.apply(current);
        try {
            client(scope).setSecret(KeyVaultNames.of(scope, name), value);
            return value;
        } catch (RuntimeException e) {
            throw failure("update", scope, name, e);
        }
    }

    /**
     * Deletes a secret and, where the vault allows, purges it, so that it cannot be recovered. A vault with purge
     * protection keeps a deleted secret recoverable for its retention period (7-90 days): then this fails after
     * the deletion, saying so. Nothing happens for an unknown secret (false).
     */
    @Override
    public boolean delete(String scope, String name) {
        String vaultName = KeyVaultNames.of(scope, name);
        SecretClient client = client(scope);
        try {
            SyncPoller<DeletedSecret, Void> poller = client.beginDeleteSecret(vaultName);
            poller.setPollInterval(DELETE_POLL);
            poller.waitForCompletion(DELETE_WAIT);
        } catch (ResourceNotFoundException e) {
            return false;
        } catch (RuntimeException e) {
            throw failure("delete", scope, name, e);
        }
        try {
            client.purgeDeletedSecret(vaultName);
        } catch (ResourceNotFoundException e) {
            // a vault without soft delete removed it for good already
        } catch (RuntimeException e) {
            throw failure("purge (it is deleted but recoverable: purge protection, or no purge permission)", scope, name, e);
        }
        return true;
    }

    private String read(SecretClient client, String vaultName, String version, String scope, String name) {
        try {
            return client.getSecret(vaultName, version).getValue();
        } catch (RuntimeException e) {
            throw failure("read", scope, name, e);
        }
    }

    private static Optional<SecretProperties> oldestEnabled(SecretClient client, String vaultName) {
        return enabledVersions(client, vaultName).min(ORDER);
    }

    private static Optional<SecretProperties> newestEnabled(SecretClient client, String vaultName) {
        return enabledVersions(client, vaultName).max(ORDER);
    }

    private static java.util.stream.Stream<SecretProperties> enabledVersions(SecretClient client, String vaultName) {
        return client.listPropertiesOfSecretVersions(vaultName).stream()
                .filter(p -> Boolean.TRUE.equals(p.isEnabled()) && p.getVersion() != null);
    }

    private static final Comparator<SecretProperties> ORDER = Comparator
            .comparing((SecretProperties p) -> p.getCreatedOn() == null ? OffsetDateTime.MAX : p.getCreatedOn())
            .thenComparing(SecretProperties::getVersion);

    private SecretClient client(String scope) {
        return clients.computeIfAbsent(settings.vaultOf(scope), clientFactory);
    }

    private static int status(HttpResponseException e) {
        return e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
    }

    private static boolean isDisabled(HttpResponseException e) {
        String message = String.valueOf(e.getMessage());
        return message.contains("SecretDisabled") || message.contains("disabled secret");
    }

    private SecretStoreException failure(String action, String scope, String name, RuntimeException e) {
        String detail = e instanceof HttpResponseException http && http.getResponse() != null
                ? "HTTP " + http.getResponse().getStatusCode() + " " + firstLine(http.getMessage())
                : e.getClass().getSimpleName() + ": " + firstLine(e.getMessage());
        return new SecretStoreException("cannot " + action + " secret " + name + " of " + scope + " in key vault "
                + settings.vaultOf(scope).getHost() + ": " + detail, e);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
