package io.latchkey.cloud.telemetry;

import io.latchkey.cloud.store.FileTenantStore;
import io.latchkey.cloud.store.StreamEnd;
import io.latchkey.cloud.store.StreamRead;
import io.latchkey.cloud.store.TenantStore;
import io.latchkey.cloud.store.Versioned;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A file store that counts the calls made on it by kind ({@code "replace car-states"}, {@code "appendAllAt telemetry"},
 * ...) and what each costs in requests on the Azure Blob store ({@code store.azure.AppendBlobStreams},
 * {@code AzureBlobTenantStore}): a document read, create or replace is one request; a conditional append one, plus the
 * blob's creation at the start of a new stream; {@code since} from a position inside a segment one ranged read, from the
 * start a listing and a read per segment (one here); {@code end} a listing, then for a stream that exists a HEAD, and
 * the last line's HEAD and ranged read; {@code forEach} and {@code tail} a listing and a read per segment.
 */
final class StoreRequests implements TenantStore {
    private final FileTenantStore files;
    private final Map<String, Integer> calls = new TreeMap<>();
    private int azure;

    StoreRequests(Path root) {
        files = new FileTenantStore(root);
    }

    synchronized Map<String, Integer> calls() {
        return new TreeMap<>(calls);
    }

    /** Azure requests these calls would have made. */
    synchronized int azureRequests() {
        return azure;
    }

    synchronized void reset() {
        calls.clear();
        azure = 0;
    }

    private synchronized void count(String op, String name, int requests) {
        String kind = name.startsWith("telemetry-") ? "telemetry" : name.startsWith("trips-") ? "trips" : name;
        calls.merge(op + " " + kind, 1, Integer::sum);
        azure += requests;
    }

    private boolean exists(String stream) {
        return files.streams().contains(stream);
    }

    @Override
    public Optional<Versioned<byte[]>> read(String collection, String id) {
        count("read", collection, 1);
        return files.read(collection, id);
    }

    @Override
    public String create(String collection, String id, byte[] content) {
        count("create", collection, 1);
        return files.create(collection, id, content);
    }

    @Override
    public String replace(String collection, String id, byte[] content, String expectedVersion) {
        count("replace", collection, 1);
        return files.replace(collection, id, content, expectedVersion);
    }

    @Override
    public void delete(String collection, String id) {
        count("delete", collection, 1);
        files.delete(collection, id);
    }

    @Override
    public List<String> list(String collection) {
        count("list", collection, 1);
        return files.list(collection);
    }

    @Override
    public List<String> collections() {
        return files.collections();
    }

    @Override
    public List<String> streams() {
        return files.streams();
    }

    @Override
    public void append(String stream, byte[] record) {
        count("append", stream, 1);
        files.append(stream, record);
    }

    @Override
    public void appendAll(String stream, List<byte[]> records) {
        if (!records.isEmpty()) {
            count("appendAll", stream, 1);
        }
        files.appendAll(stream, records);
    }

    @Override
    public List<byte[]> tail(String stream, int limit) {
        count("tail", stream, exists(stream) ? 2 : 1);
        return files.tail(stream, limit);
    }

    @Override
    public void forEach(String stream, Consumer<byte[]> consumer) {
        count("forEach", stream, exists(stream) ? 2 : 1);
        files.forEach(stream, consumer);
    }

    @Override
    public StreamEnd end(String stream) {
        count("end", stream, exists(stream) ? 4 : 1);
        return files.end(stream);
    }

    @Override
    public StreamEnd appendAt(String stream, byte[] record, String expectedPosition) {
        count("appendAt", stream, "0".equals(expectedPosition) ? 2 : 1);
        return files.appendAt(stream, record, expectedPosition);
    }

    @Override
    public StreamEnd appendAllAt(String stream, List<byte[]> records, String expectedPosition) {
        count("appendAllAt", stream, "0".equals(expectedPosition) ? 2 : 1);
        return files.appendAllAt(stream, records, expectedPosition);
    }

    @Override
    public String start() {
        return files.start();
    }

    @Override
    public StreamRead since(String stream, String position) {
        count("since", stream, !"0".equals(position) ? 1 : exists(stream) ? 2 : 1);
        return files.since(stream, position);
    }
}
