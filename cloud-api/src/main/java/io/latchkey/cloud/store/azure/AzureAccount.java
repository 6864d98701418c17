package io.latchkey.cloud.store.azure;

/** Where one tenant's (or the platform's) data lives: its own account's connection string and the container. */
public record AzureAccount(String connectionString, String container) {
    @Override
    public String toString() {
        return "AzureAccount[container=" + container + ", connection string hidden]";
    }
}
