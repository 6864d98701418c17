package io.latchkey.cloud.store.azure;

import com.azure.core.http.HttpClient;
import com.azure.core.http.okhttp.OkHttpAsyncHttpClientBuilder;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobStorageException;
import io.latchkey.cloud.store.StoreException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds blob clients that share one OkHttp connection pool. Each client holds the credentials of exactly
 * one storage account, from that account's own connection string: a tenant's client cannot sign a
 * request for any other account.
 */
public final class AzureBlobClients {
    private final HttpClient http;
    private final ExecutorService blockingCalls;

    public AzureBlobClients() {
        this.http = new OkHttpAsyncHttpClientBuilder().build();
        AtomicInteger threads = new AtomicInteger();
        this.blockingCalls = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "azure-blob-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Where store calls made on an event-loop thread run (see {@code OffEventLoop}). */
    public Executor blockingCalls() {
        return blockingCalls;
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
