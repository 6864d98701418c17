package io.latchkey.cloud.secrets.keyvault;

import io.micronaut.context.env.Environment;
import io.micronaut.context.exceptions.ConfigurationException;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The settings of {@code latchkey.secrets.type=keyvault}, checked when the backend starts so that a mistake
 * stops it with a message naming the key (values of secrets are never part of a message).
 *
 * @param vaultUrl         {@code latchkey.secrets.keyvault.url}: the vault of the platform and of every tenant
 *                         without a vault of its own
 * @param tenantVaults     {@code latchkey.secrets.keyvault.tenants.{tenant}.url}: a tenant's own vault
 * @param credential       {@code latchkey.secrets.keyvault.credential}: {@code default} (azure-identity's
 *                         DefaultAzureCredential: environment, workload identity, managed identity, az login),
 *                         {@code managed-identity} or {@code client-secret}
 * @param clientId         {@code latchkey.secrets.keyvault.client-id}: a user-assigned managed identity, or the
 *                         application of {@code client-secret}
 * @param directoryTenant  {@code latchkey.secrets.keyvault.directory-tenant-id}: the Entra ID (directory) tenant of
 *                         {@code client-secret}
 * @param clientSecret     {@code latchkey.secrets.keyvault.client-secret}
 */
public record KeyVaultSettings(URI vaultUrl, Map<String, URI> tenantVaults, Credential credential,
                               Optional<String> clientId, Optional<String> directoryTenant, Optional<String> clientSecret) {
    static final String PREFIX = "latchkey.secrets.keyvault.";

    public enum Credential { DEFAULT, MANAGED_IDENTITY, CLIENT_SECRET }

    public KeyVaultSettings {
        tenantVaults = Map.copyOf(tenantVaults);
        if (credential == Credential.CLIENT_SECRET && (clientId.isEmpty() || directoryTenant.isEmpty() || clientSecret.isEmpty())) {
            throw new ConfigurationException(PREFIX + "credential=client-secret needs " + PREFIX + "client-id, "
                    + PREFIX + "directory-tenant-id and " + PREFIX + "client-secret");
        }
    }

    public static KeyVaultSettings from(Environment environment) {
        URI url = vaultUrl(PREFIX + "url", setting(environment, PREFIX + "url").orElseThrow(() -> new ConfigurationException(
                PREFIX + "url is required when latchkey.secrets.type is keyvault (https://{vault-name}.vault.azure.net)")));
        Map<String, URI> tenants = new TreeMap<>();
        for (String tenant : environment.getPropertyEntries(PREFIX + "tenants")) {
            String key = PREFIX + "tenants." + tenant + ".url";
            tenants.put(tenant, vaultUrl(key, setting(environment, key).orElseThrow(() ->
                    new ConfigurationException(key + " is required for a tenant listed under " + PREFIX + "tenants"))));
        }
        String kind = setting(environment, PREFIX + "credential").orElse("default").toLowerCase(Locale.ROOT);
        Credential credential = switch (kind) {
            case "default" -> Credential.DEFAULT;
            case "managed-identity" -> Credential.MANAGED_IDENTITY;
            case "client-secret" -> Credential.CLIENT_SECRET;
            default -> throw new ConfigurationException(PREFIX + "credential must be default, managed-identity or "
                    + "client-secret, got '" + kind + "'");
        };
        return new KeyVaultSettings(url, tenants, credential, setting(environment, PREFIX + "client-id"),
                setting(environment, PREFIX + "directory-tenant-id"), setting(environment, PREFIX + "client-secret"));
    }

    /** The vault of one scope (a tenant id, or the platform). */
    public URI vaultOf(String scope) {
        return tenantVaults.getOrDefault(scope, vaultUrl);
    }

    static URI vaultUrl(String key, String value) {
        URI uri;
        try {
            uri = URI.create(value.strip());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(key + " is not a URL, got '" + value + "'");
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null
                || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))
                || uri.getQuery() != null || uri.getUserInfo() != null) {
            throw new ConfigurationException(key + " must be a vault's https URL such as https://my-vault.vault.azure.net, "
                    + "got '" + value + "'");
        }
        return uri;
    }

    private static Optional<String> setting(Environment environment, String key) {
        return environment.getProperty(key, String.class).map(String::strip).filter(s -> !s.isEmpty());
    }

    @Override
    public String toString() {
        // never the client secret
        return "KeyVaultSettings[vaultUrl=" + vaultUrl + ", tenantVaults=" + tenantVaults + ", credential=" + credential + "]";
    }
}
