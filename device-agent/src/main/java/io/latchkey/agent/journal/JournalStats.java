package io.latchkey.agent.journal;

/**
 * What the journal holds and what it lost, for the status output and events.
 *
 * @param segments         segment files on disk
 * @param bytes            their total size
 * @param lastSeq          highest sequence appended (or known from the files), 0 if none
 * @param ackedSeq         highest sequence the cloud receipted (stored)
 * @param pendingRecords   records not yet receipted by the cloud
 * @param evictedRecords   unacknowledged records dropped to stay within the size bound, since installation
 * @param truncatedBytes   bytes of torn or damaged data cut off at the last start
 * @param damagedSegments  segments found torn or damaged at the last start
 */
public record JournalStats(int segments, long bytes, long lastSeq, long ackedSeq, long pendingRecords,
                           long evictedRecords, long truncatedBytes, int damagedSegments) {
}
