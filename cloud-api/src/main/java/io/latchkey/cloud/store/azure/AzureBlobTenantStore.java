package io.latchkey.cloud.store.azure;

import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.DeleteSnapshotsOptionType;
import com.azure.storage.blob.models.ListBlobsOptions;
import io.latchkey.cloud.store.DocumentExistsException;
import io.latchkey.cloud.store.Names;
import io.latchkey.cloud.store.StreamEnd;
import io.latchkey.cloud.store.StreamRead;
import io.latchkey.cloud.store.TenantStore;
import io.latchkey.cloud.store.VersionConflictException;
import io.latchkey.cloud.store.Versioned;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A {@link TenantStore} in one blob container of the tenant's own storage account. Documents are block
 * blobs {@code docs/{collection}/{id}.json}, each written with one conditional PUT: {@code If-None-Match: *}
 * to create, {@code If-Match: <etag>} to replace, so the blob's ETag is the document's version and the
 * service itself refuses a lost update, whichever replica wrote in between. Streams (telemetry, command
 * log, audit) are append blobs, see {@link AppendBlobStreams}.
 */
public final class AzureBlobTenantStore implements TenantStore {
    /** 4 MiB segments: reading a stream's tail never downloads more than a segment or two. */
    public static final long DEFAULT_SEGMENT_BYTES = 4L * 1024 * 1024;
    private static final String DOCS = "docs/";
    private static final String JSON = ".json";
    private static final String JSON_CONTENT_TYPE = "application/json";

    private final BlobContainerClient container;
    private final AppendBlobStreams streams;
    private final Duration timeout;
    private final OffEventLoop offEventLoop;
    private final BlobRequests requests;

    /**
     * @param container    the tenant's container, created already, with a client holding that tenant's key
     * @param segmentBytes size at which a stream moves on to its next append blob
     * @param timeout      per service call
     * @param blocking     runs calls made on an event-loop thread (see {@link OffEventLoop})
     */
    public AzureBlobTenantStore(BlobContainerClient container, long segmentBytes, Duration timeout,
                                java.util.concurrent.Executor blocking) {
        if (segmentBytes < 64) {
            throw new IllegalArgumentException("segmentBytes must be at least 64, got " + segmentBytes);
        }
        this.container = container;
        this.requests = new BlobRequests(container, timeout);
        this.streams = new AppendBlobStreams(container, segmentBytes, timeout, requests);
        this.timeout = timeout;
        this.offEventLoop = new OffEventLoop(blocking);
    }

    public AzureBlobTenantStore(BlobContainerClient container, long segmentBytes, Duration timeout) {
        this(container, segmentBytes, timeout, java.util.concurrent.ForkJoinPool.commonPool());
    }

    /** The container; for minting read-only SAS URLs of this tenant's data. */
    public BlobContainerClient container() {
        return container;
    }

    private Optional<Versioned<byte[]>> doRead(String collection, String id) {
        try {
            BlobRequests.Result response = requests.download(documentName(collection, id), 0, null);
            return Optional.of(new Versioned<>(response.body(), response.etag()));
        } catch (BlobStorageException e) {
            if (BlobErrors.notFound(e)) {
                return Optional.empty();
            }
            throw BlobErrors.failure("read " + collection + "/" + id, e);
        }
    }

    private String doCreate(String collection, String id, byte[] content) {
        try {
            return upload(documentName(collection, id), content, null, "*");
        } catch (BlobStorageException e) {
            if (BlobErrors.is(e, BlobErrorCode.BLOB_ALREADY_EXISTS, BlobErrorCode.CONDITION_NOT_MET)) {
                throw new DocumentExistsException(collection, id);
            }
            throw BlobErrors.failure("create " + collection + "/" + id, e);
        }
    }

    private String doReplace(String collection, String id, byte[] content, String expectedVersion) {
        try {
            return upload(documentName(collection, id), content, expectedVersion, null);
        } catch (BlobStorageException e) {
            if (BlobErrors.is(e, BlobErrorCode.CONDITION_NOT_MET) || BlobErrors.notFound(e)) {
                throw new VersionConflictException(collection, id);
            }
            throw BlobErrors.failure("replace " + collection + "/" + id, e);
        }
    }

    private void doDelete(String collection, String id) {
        try {
            // snapshots too; with blob versioning or soft delete enabled on the account the service would
            // still keep old bytes, so docs/storage.md asks for both to be off on tenant accounts
            document(collection, id).deleteIfExistsWithResponse(DeleteSnapshotsOptionType.INCLUDE, null, timeout,
                    Context.NONE);
        } catch (BlobStorageException e) {
            throw BlobErrors.failure("delete " + collection + "/" + id, e);
        }
    }

    private List<String> doList(String collection) {
        String prefix = DOCS + Names.require("collection", collection) + "/";
        List<String> ids = new ArrayList<>();
        for (BlobItem item : container.listBlobs(new ListBlobsOptions().setPrefix(prefix), timeout)) {
            String name = item.getName().substring(prefix.length());
            if (name.endsWith(JSON) && !name.contains("/")) {
                ids.add(name.substring(0, name.length() - JSON.length()));
            }
        }
        ids.sort(null);
        return ids;
    }

    private List<String> doCollections() {
        List<String> names = new ArrayList<>();
        for (BlobItem item : container.listBlobsByHierarchy("/", new ListBlobsOptions().setPrefix(DOCS), timeout)) {
            if (Boolean.TRUE.equals(item.isPrefix())) {
                names.add(item.getName().substring(DOCS.length(), item.getName().length() - 1));
            }
        }
        names.sort(null);
        return names;
    }

    private List<String> doStreams() {
        return streams.names();
    }

    private void doAppendAll(String stream, List<byte[]> records) {
        String name = Names.require("stream", stream);
        List<byte[]> lines = new ArrayList<>(records.size());
        for (byte[] record : records) {
            lines.add(line(record));
        }
        streams.appendAll(name, lines);
    }

    private List<byte[]> doTail(String stream, int limit) {
        return limit <= 0 ? List.of() : streams.tail(Names.require("stream", stream), limit);
    }

    @Override
    public void forEach(String stream, Consumer<byte[]> consumer) {
        String name = Names.require("stream", stream);
        if (!reactor.core.scheduler.Schedulers.isInNonBlockingThread()) {
            streams.forEach(name, consumer);
            return;
        }
        List<byte[]> records = new ArrayList<>();
        offEventLoop.run(() -> streams.forEach(name, records::add));
        records.forEach(consumer);
    }

    private StreamEnd doEnd(String stream) {
        return streams.end(Names.require("stream", stream));
    }

    private StreamEnd doAppendAt(String stream, byte[] record, String expectedPosition) {
        return streams.appendAt(Names.require("stream", stream), line(record), expectedPosition);
    }

    @Override
    public Optional<Versioned<byte[]>> read(String collection, String id) {
        return offEventLoop.call(() -> doRead(collection, id));
    }

    @Override
    public String create(String collection, String id, byte[] content) {
        return offEventLoop.call(() -> doCreate(collection, id, content));
    }

    @Override
    public String replace(String collection, String id, byte[] content, String expectedVersion) {
        return offEventLoop.call(() -> doReplace(collection, id, content, expectedVersion));
    }

    @Override
    public void delete(String collection, String id) {
        offEventLoop.run(() -> doDelete(collection, id));
    }

    @Override
    public List<String> list(String collection) {
        return offEventLoop.call(() -> doList(collection));
    }

    @Override
    public List<String> collections() {
        return offEventLoop.call(() -> doCollections());
    }

    @Override
    public List<String> streams() {
        return offEventLoop.call(() -> doStreams());
    }

    @Override
    public void append(String stream, byte[] record) {
        appendAll(stream, List.of(record));
    }

    @Override
    public void appendAll(String stream, List<byte[]> records) {
        offEventLoop.run(() -> doAppendAll(stream, records));
    }

    @Override
    public List<byte[]> tail(String stream, int limit) {
        return offEventLoop.call(() -> doTail(stream, limit));
    }

    @Override
    public StreamEnd end(String stream) {
        return offEventLoop.call(() -> doEnd(stream));
    }

    @Override
    public StreamEnd appendAt(String stream, byte[] record, String expectedPosition) {
        return offEventLoop.call(() -> doAppendAt(stream, record, expectedPosition));
    }

    @Override
    public StreamEnd appendAllAt(String stream, List<byte[]> records, String expectedPosition) {
        return offEventLoop.call(() -> {
            List<byte[]> lines = new ArrayList<>(records.size());
            for (byte[] record : records) {
                lines.add(line(record));
            }
            return streams.appendAllAt(Names.require("stream", stream), lines, expectedPosition);
        });
    }

    @Override
    public String start() {
        return AppendBlobStreams.START;
    }

    @Override
    public StreamRead since(String stream, String position) {
        return offEventLoop.call(() -> streams.since(Names.require("stream", stream), position));
    }

    private String upload(String blob, byte[] content, String ifMatch, String ifNoneMatch) {
        return requests.upload(blob, content, JSON_CONTENT_TYPE, ifMatch, ifNoneMatch).etag();
    }

    private BlobClient document(String collection, String id) {
        return container.getBlobClient(documentName(collection, id));
    }

    private static String documentName(String collection, String id) {
        return DOCS + Names.require("collection", collection) + "/" + Names.require("id", id) + JSON;
    }

    /** The record and its line break, checked to be one line. */
    private static byte[] line(byte[] record) {
        for (byte b : record) {
            if (b == '\n' || b == '\r') {
                throw new IllegalArgumentException("a stream record must be one line");
            }
        }
        byte[] line = Arrays.copyOf(record, record.length + 1);
        line[record.length] = '\n';
        return line;
    }
}
