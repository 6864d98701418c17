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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;

/**
 * Builds blob clients that share one OkHttp connection pool. Each client holds the credentials of exactly
 * one storage account, from that account's own connection string: a tenant's client cannot sign a
 * request for any other account.
 *
 * <p>The SDK's synchronous calls block on its asynchronous ones, which OkHttp queues in its {@link Dispatcher}:
 * by default at most 5 requests at once per host (and 5 idle connections kept), so a replica's 16 ingestion
 * threads and its HTTP requests shared 5 requests in flight per storage account (with Azurite, whose accounts
 * are paths of one host, for all of them), and the rest waited in OkHttp's queue while the service idled
 * (docs/benchmarks-scale.md, "Ingestion: the 5 requests"). Every caller here blocks for its request, so the
 * callers' threads already bound the requests in flight; the limits below only keep a runaway from opening
 * thousands of connections.
 */
public final class AzureBlobClients {
    /** Requests in flight at once per host (a storage account's endpoint), then queued. */
    static final int MAX_REQUESTS_PER_HOST = 128;
    /** Requests in flight at once in all. */
    static final int MAX_REQUESTS = 256;
    /** Idle connections kept for reuse, so that a burst does not end in a new TCP (and TLS) handshake per request. */
    static final int MAX_IDLE_CONNECTIONS = 64;

    private final HttpClient http;
    private final ExecutorService blockingCalls;

    public AzureBlobClients() {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(MAX_REQUESTS);
        dispatcher.setMaxRequestsPerHost(MAX_REQUESTS_PER_HOST);
        this.http = new OkHttpAsyncHttpClientBuilder()
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(MAX_IDLE_CONNECTIONS, 5, TimeUnit.MINUTES))
                .build();
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
