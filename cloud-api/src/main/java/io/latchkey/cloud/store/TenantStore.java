package io.latchkey.cloud.store;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The data store of one tenant (or of the platform): versioned JSON documents grouped in collections,
 * and append-only record streams. Implementations: {@link FileTenantStore} (one directory), later an
 * Azure Blob store (one storage account per tenant); both must pass {@code TenantStoreContract}.
 *
 * <p>Names of collections, streams and ids match {@value #NAME_PATTERN}, so that no id can reach
 * outside its own collection. Every write of a document is atomic: a reader sees the old or the new
 * bytes, never a mix.
 */
public interface TenantStore {
    String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";

    /** The document and its current version, or empty if there is none. */
    Optional<Versioned<byte[]>> read(String collection, String id);

    /**
     * Stores a new document.
     *
     * @return the version of the stored document
     * @throws DocumentExistsException if a document with that id exists
     */
    String create(String collection, String id, byte[] content);

    /**
     * Overwrites a document only if its stored version is still {@code expectedVersion}.
     *
     * @return the new version
     * @throws VersionConflictException if the document changed since, or no longer exists
     */
    String replace(String collection, String id, byte[] content, String expectedVersion);

    /** Ids of the collection's documents, sorted; empty for an unknown collection. */
    List<String> list(String collection);

    /**
     * Appends one record to a stream, creating the stream on first use. Records are kept in append
     * order and never changed.
     *
     * @param record one JSON value on one line (no line breaks)
     */
    void append(String stream, byte[] record);

    /** The last {@code limit} records of a stream, oldest first; empty for an unknown stream. */
    List<byte[]> tail(String stream, int limit);

    /** Every record of a stream in append order (to rebuild indexes at start-up). */
    void forEach(String stream, Consumer<byte[]> consumer);
}
