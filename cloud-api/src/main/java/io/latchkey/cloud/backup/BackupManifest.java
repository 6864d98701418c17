package io.latchkey.cloud.backup;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of a backup directory, written last: without it a backup is incomplete.
 *
 * @param format     {@value #FORMAT}
 * @param startedAt  when the copy began: everything acknowledged before is in it
 * @param finishedAt when it ended
 * @param store      the store it was taken from ({@code file} or {@code azure})
 * @param scopes     per scope ({@code platform}, {@code tenants/{id}}): counts and whether its documents are one
 *                   consistent snapshot
 * @param audit      per tenant: the audit chain's length and last hash at backup time
 * @param files      every file of the backup but this one: path, size, SHA-256, records (streams)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupManifest(String format, Instant startedAt, Instant finishedAt, String store,
                             List<Scope> scopes, Map<String, Chain> audit, List<FileEntry> files) {
    public static final String FORMAT = "latchkey-backup/1";
    public static final String FILE_NAME = "manifest.json";

    /**
     * @param consistent         the documents were read twice with no change in between (so they are the
     *                           store's documents at one moment); false if they kept changing for every round
     * @param changedDuringBackup documents that changed during the last round (each is a value it held)
     */
    public record Scope(String scope, int documents, int streams, long records, int rounds, boolean consistent,
                        List<String> changedDuringBackup) {
    }

    public record Chain(long records, String head) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FileEntry(String path, long bytes, String sha256, Long records) {
    }
}
