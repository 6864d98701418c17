package io.latchkey.cloud.store;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The data store of one tenant (or of the platform): versioned JSON documents grouped in collections,
 * and append-only record streams. Implementations: {@link FileTenantStore} (one directory) and
 * {@link io.latchkey.cloud.store.azure.AzureBlobTenantStore} (one container in the tenant's own storage
 * account); both pass {@code TenantStoreContract}.
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

    /**
     * Removes a document for good (account termination scrubs the e-mail index this way); nothing
     * happens if there is none. Implementations must not keep the old bytes anywhere readable.
     */
    default void delete(String collection, String id) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot delete documents yet");
    }

    /** Ids of the collection's documents, sorted; empty for an unknown collection. */
    List<String> list(String collection);

    /** Names of the collections that hold at least one document, sorted (for read-only exports). */
    List<String> collections();

    /** Names of the streams that hold at least one record, sorted (for read-only exports). */
    List<String> streams();

    /**
     * Appends one record to a stream, creating the stream on first use. Records are kept in append
     * order and never changed.
     *
     * @param record one JSON value on one line (no line breaks)
     */
    void append(String stream, byte[] record);

    /**
     * Appends several records to a stream in list order, as one write where the medium allows (group
     * commit: the file store writes and forces them once; the Azure store appends one block, or several
     * in order when they exceed a block or a segment). Every record is checked first, so a bad one fails
     * the call with nothing written. A crash part-way may lose a suffix of the batch, never a record in
     * the middle and never the order. Another writer's record lands before or after the batch, or, if
     * the batch needed several Azure blocks, between two of them. An empty list writes nothing.
     *
     * @param records each one JSON value on one line (no line breaks)
     * @throws IllegalArgumentException if a record is not one line, or too large for the store
     */
    void appendAll(String stream, List<byte[]> records);

    /** The last {@code limit} records of a stream, oldest first; empty for an unknown stream. */
    List<byte[]> tail(String stream, int limit);

    /** Every record of a stream in append order (to rebuild indexes at start-up). */
    void forEach(String stream, Consumer<byte[]> consumer);

    /**
     * The stream's last record and its end position, for {@link #appendAt}: a chained stream (the audit
     * trail) reads the last record, derives the next one from it and appends only if nobody else did.
     */
    StreamEnd end(String stream);

    /**
     * Appends one record only if the stream still ends at {@code expectedPosition} (from {@link #end} or
     * a previous {@code appendAt}), so that concurrent writers, in this process or another, cannot both
     * append after the same record.
     *
     * @return the stream's new end, holding this record
     * @throws StreamChangedException if another record was appended since; read {@link #end} again
     */
    StreamEnd appendAt(String stream, byte[] record, String expectedPosition);

    /**
     * Appends several records in list order as one atomic write, only if the stream still ends at
     * {@code expectedPosition}: the batch form of {@link #appendAt}. A writer that keeps its own index of a
     * stream (telemetry's stored sequence numbers) appends only onto the end it has indexed, so two
     * replicas cannot both store the same record.
     *
     * @return the stream's new end, holding the batch's last record
     * @throws StreamChangedException if another record was appended since; read {@link #since} and retry
     * @throws IllegalArgumentException if the list is empty, a record is not one line, or the batch is too
     *         large for one write of the store
     */
    StreamEnd appendAllAt(String stream, List<byte[]> records, String expectedPosition);

    /**
     * The records appended after {@code position} (from {@link #end}, {@link #appendAt}, {@link #appendAllAt}
     * or an earlier {@code since}; {@code end} of an empty stream is its start), and the position after the
     * last of them. Catches up an index with what other writers appended.
     *
     * @throws IllegalArgumentException if the position is not one of this store's positions for the stream
     */
    StreamRead since(String stream, String position);

    /**
     * The position before any stream's first record ({@link #end} of an empty stream): {@code since(stream, start())}
     * reads a whole stream and where it ends in one pass, which is what an index rebuilt from the stream needs (the
     * Azure store: a listing and one read per segment, where {@link #end} and then {@link #forEach} cost six requests).
     */
    default String start() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no stream start position");
    }
}

