package io.latchkey.cloud.store.azure;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.BlobContainerClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The three requests of the ingestion path (append a block, write a document, read a blob or a range of it) sent
 * through the blob client's own {@link HttpPipeline} with its synchronous {@link HttpPipeline#sendSync}: the same
 * policies as every other call of the SDK (Shared Key signing, {@code x-ms-date}, request id, the storage retry policy,
 * response validation, ETag scrubbing) and the same OkHttp client, but without the SDK's synchronous-over-reactive
 * wrappers of azure-storage-blob 12.35 for these operations ({@code BlockBlobClient.uploadWithResponse},
 * {@code AppendBlobClient.appendBlockWithResponse} and the downloads block on {@code Mono} chains built per call, and
 * parse every response header into a typed object), which took about a third of a replica's CPU at ingestion
 * (docs/benchmarks-scale.md, "Ingestion: what a batch costs").
 *
 * <p>Errors are the SDK's: a status of 400 or more becomes the {@link BlobStorageException} the SDK raises, whose
 * {@link BlobStorageException#getErrorCode() error code} is the response's {@code x-ms-error-code}, so {@link BlobErrors}
 * reads them as before. The time-out is the SDK's too: {@code timeout} bounds the whole call, retries included, as the
 * SDK's own synchronous calls do it (run on a pool thread, waited for at most {@code timeout}).
 */
final class BlobRequests {
    private static final HttpHeaderName VERSION = HttpHeaderName.fromString("x-ms-version");
    private static final HttpHeaderName BLOB_TYPE = HttpHeaderName.fromString("x-ms-blob-type");
    private static final HttpHeaderName BLOB_CONTENT_TYPE = HttpHeaderName.fromString("x-ms-blob-content-type");
    private static final HttpHeaderName RANGE = HttpHeaderName.fromString("x-ms-range");
    private static final HttpHeaderName APPEND_POSITION = HttpHeaderName.fromString("x-ms-blob-condition-appendpos");
    private static final HttpHeaderName MAX_SIZE = HttpHeaderName.fromString("x-ms-blob-condition-maxsize");
    static final HttpHeaderName APPEND_OFFSET = HttpHeaderName.fromString("x-ms-blob-append-offset");
    static final HttpHeaderName SEALED = HttpHeaderName.fromString("x-ms-blob-sealed");

    /**
     * Where the calls run while their callers wait at most the time-out (as the SDK's own {@code SharedExecutorService}
     * for its synchronous calls): threads made on demand, kept a minute, daemons.
     */
    private static final ExecutorService CALLS = Executors.newCachedThreadPool(new ThreadFactory() {
        private final AtomicInteger n = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "azure-blob-call-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    });

    private final Duration timeout;
    private final HttpPipeline pipeline;
    private final String version;
    private final String containerUrl;

    /**
     * Requests to the blobs of one container, with its client's pipeline (and so its account's credentials). A blob's
     * URL is made here from the container's and the blob's name, encoded as the SDK encodes it, rather than by a
     * {@code BlobClient} built per request (each build makes a client builder, log options and parses the URL again).
     */
    BlobRequests(BlobContainerClient container, Duration timeout) {
        this.timeout = timeout;
        this.pipeline = container.getHttpPipeline();
        this.version = container.getServiceVersion().getVersion();
        this.containerUrl = container.getBlobContainerUrl();
    }

    /** The blob's URL as {@code BlobClient.getBlobUrl()} gives it (names here are {@code Names}' safe characters and '/'). */
    String url(String blobName) {
        return containerUrl + "/" + URLEncoder.encode(blobName, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** What a request returned: its headers and, for a read, the body. */
    record Result(HttpHeaders headers, byte[] body) {
        String etag() {
            return headers.getValue(HttpHeaderName.ETAG);
        }
    }

    /** Put Block Blob of the whole content, with {@code If-Match} or {@code If-None-Match} (one of them null). */
    Result upload(String blob, byte[] content, String contentType, String ifMatch, String ifNoneMatch) {
        HttpRequest request = request(HttpMethod.PUT, url(blob));
        request.setHeader(BLOB_TYPE, "BlockBlob");
        request.setHeader(BLOB_CONTENT_TYPE, contentType);
        conditions(request, ifMatch, ifNoneMatch);
        body(request, content);
        return send(request, false);
    }

    /** Append Block, at {@code appendPosition} if not null, refused if the blob would grow beyond {@code maxSize}. */
    Result appendBlock(String blob, byte[] block, Long appendPosition, long maxSize) {
        HttpRequest request = request(HttpMethod.PUT, url(blob) + "?comp=appendblock");
        request.setHeader(MAX_SIZE, Long.toString(maxSize));
        if (appendPosition != null) {
            request.setHeader(APPEND_POSITION, Long.toString(appendPosition));
        }
        body(request, block);
        return send(request, false);
    }

    /** Get Blob: all of it ({@code from} 0) or from {@code from} to its end, with {@code If-Match} if not null. */
    Result download(String blob, long from, String ifMatch) {
        return download(blob, from, -1, ifMatch);
    }

    /** Get Blob of bytes {@code from} up to {@code to} (exclusive; -1: to the end). */
    Result download(String blob, long from, long to, String ifMatch) {
        HttpRequest request = request(HttpMethod.GET, url(blob));
        if (from > 0 || to >= 0) {
            request.setHeader(RANGE, "bytes=" + from + "-" + (to >= 0 ? Long.toString(to - 1) : ""));
        }
        conditions(request, ifMatch, null);
        // the Shared Key policy signs the Content-Length header as it finds it ("0" signs as empty; none as "null")
        request.setHeader(HttpHeaderName.CONTENT_LENGTH, "0");
        return send(request, true);
    }

    /** The bytes as the body, typed as the SDK types it ({@code Content-Length} follows from the body). */
    private static void body(HttpRequest request, byte[] bytes) {
        request.setHeader(HttpHeaderName.CONTENT_TYPE, "application/octet-stream");
        request.setBody(BinaryData.fromBytes(bytes));
    }

    private HttpRequest request(HttpMethod method, String url) {
        HttpRequest request = new HttpRequest(method, url);
        request.setHeader(VERSION, version);
        return request;
    }

    /** As the SDK sends them: the values as given (it hands out ETags without quotes, see its ScrubEtagPolicy). */
    private static void conditions(HttpRequest request, String ifMatch, String ifNoneMatch) {
        if (ifMatch != null) {
            request.setHeader(HttpHeaderName.IF_MATCH, ifMatch);
        }
        if (ifNoneMatch != null) {
            request.setHeader(HttpHeaderName.IF_NONE_MATCH, ifNoneMatch);
        }
    }

    private Result send(HttpRequest request, boolean body) {
        CompletableFuture<Result> call = CompletableFuture.supplyAsync(() -> exchange(pipeline, request, body), CALLS);
        try {
            return call.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new IllegalStateException("Timeout on blocking read for " + timeout.toMillis() + " MILLISECONDS", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel(true);
            throw new IllegalStateException("interrupted while waiting for the storage service", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static Result exchange(HttpPipeline pipeline, HttpRequest request, boolean body) {
        try (HttpResponse response = pipeline.sendSync(request, Context.NONE)) {
            int status = response.getStatusCode();
            if (status >= 400) {
                BinaryData error = response.getBodyAsBinaryData();
                String message = "Status code " + status + ", " + (error == null ? "(empty body)" : error.toString());
                throw new BlobStorageException(message, response, null);
            }
            byte[] bytes = body ? bytes(response) : null;
            return new Result(response.getHeaders(), bytes);
        }
    }

    private static byte[] bytes(HttpResponse response) {
        BinaryData data = response.getBodyAsBinaryData();
        return data == null ? new byte[0] : data.toBytes();
    }
}
