package io.latchkey.cloud.store.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.okhttp.OkHttpAsyncHttpClientBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobStorageException;
import io.latchkey.cloud.store.StoreException;

/**
 * Builds blob clients that share one OkHttp connection pool. Each client holds the credentials of exactly
 * one storage account, from that account's own connection string: a tenant's client cannot sign a
 * request for any other account.
 */
public final class AzureBlobClients {
    private final HttpClient http;

    public AzureBlobClients() {
        this.http = new OkHttpAsyncHttpClientBuilder().build();
    }

    public BlobServiceClient service(String connectionString) {
        try {
            return new BlobServiceClientBuilder().connectionString(connectionString).httpClient(http).buildClient();
        } catch (IllegalArgumentException e) {
            // the SDK's message may quote the connection string, key included
            throw new StoreException("malformed Azure Storage connection string");
        }
    }

    /** The container, created if it does not exist yet. */
    public BlobContainerClient container(String connectionString, String name) {
        BlobContainerClient container = service(connectionString).getBlobContainerClient(name);
        try {
            container.createIfNotExists();
        } catch (BlobStorageException e) {
            throw BlobErrors.failure("create container " + name + " in account " + container.getAccountName(), e);
        }
        return container;
    }
}
