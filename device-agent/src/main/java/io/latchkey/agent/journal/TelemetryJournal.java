package io.latchkey.agent.journal;

import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Store-and-forward telemetry on disk: append-only segment files under one directory, each record
 * framed with its length and a CRC-32C (see {@link Frames}, {@link RecordCodec}).
 *
 * <ul>
 *   <li><b>Durability.</b> {@link #append} writes the frame to the file (the page cache) before it
 *   returns, so a killed process loses nothing it appended. {@link #syncRecords} fsyncs; the caller
 *   runs it at most {@link JournalSettings#fsyncInterval()} after an append (group commit) and always
 *   before publishing, so only durable records ever reach the cloud and a power loss can only take
 *   records appended within the last interval that were never published.</li>
 *   <li><b>Bound.</b> When a record would take the total over {@link JournalSettings#maxBytes()}, the
 *   oldest whole segments are deleted (never the active one); their unacknowledged records are counted
 *   as evicted.</li>
 *   <li><b>Replay.</b> {@link #readBatch} reads from the first unacknowledged record, in sequence order;
 *   {@link #acknowledge} moves that position on and persists "acknowledged up to seq" in the
 *   {@link JournalCursor}; segments wholly acknowledged are deleted.</li>
 *   <li><b>Recovery.</b> {@link #open} reads every segment; at the first torn or damaged frame of a
 *   segment the rest of that segment is counted and cut off, and later segments are kept. It never
 *   throws for bad content, only when the directory cannot be used at all.</li>
 * </ul>
 *
 * Thread-safe: every method holds the journal's lock.
 */
public final class TelemetryJournal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TelemetryJournal.class);
    private static final int SCAN_BUFFER = 64 * 1024;
    private static final int READ_BUFFER = 8 * 1024;

    private final Path dir;
    private final JournalSettings settings;
    private final RecordCodec codec = new RecordCodec();
    private final JournalCursor cursor;
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private final ByteWriter frame = new ByteWriter(256);
    private long lastSeq;
    private long ackedSeq;
    private long evictedRecords;
    private long reportedEvictions;
    private long sendSegment;
    private long sendOffset;
    private long truncatedBytes;
    private int damagedSegments;
    private boolean cursorDirty;
    private boolean closed;

    private TelemetryJournal(Path dir, JournalSettings settings) {
        this.dir = dir;
        this.settings = settings;
        this.cursor = new JournalCursor(dir);
    }

    /**
     * Opens (or creates) the journal in {@code dir}, recovering from whatever a crash left.
     *
     * @param sequenceFloor a sequence already used elsewhere (the walking skeleton's counter file);
     *                      numbering continues above it
     * @throws JournalException if the directory cannot be created, listed or written
     */
    public static TelemetryJournal open(Path dir, JournalSettings settings, long sequenceFloor) {
        TelemetryJournal j = new TelemetryJournal(dir, Objects.requireNonNull(settings, "settings"));
        try {
            Files.createDirectories(dir);
            j.recover(sequenceFloor);
        } catch (IOException e) {
            j.closeQuietly();
            throw new JournalException("cannot open telemetry journal " + dir + ": " + e.getMessage(), e);
        }
        return j;
    }

    private void recover(long sequenceFloor) throws IOException {
        JournalCursor.State state = cursor.read();
        ackedSeq = state.ackedSeq();
        evictedRecords = state.evictedRecords();
        reportedEvictions = Math.min(state.reportedEvictions(), evictedRecords);
        boolean sendFound = false;
        List<Map.Entry<Long, Path>> files = listSegments();
        for (int i = 0; i < files.size(); i++) {
            boolean last = i == files.size() - 1;
            long base = files.get(i).getKey();
            Segment s = Segment.open(files.get(i).getValue(), base);
            if (!s.hasMagic()) {
                dropHeaderless(s, base, last);
                continue;
            }
            sendFound = scan(s, base, sendFound);
            lastSeq = Math.max(lastSeq, s.lastSeq());
            if (s.isEmpty() && !last) {
                s.delete();
                continue;
            }
            if (!last) {
                s.close();
            }
            segments.put(base, s);
        }
        openActive(sequenceFloor, sendFound);
        trimAcknowledged();
        LOG.info("telemetry journal {}: {} segment(s), {} byte(s), last seq {}, acknowledged up to {}, {} pending{}",
                dir, segments.size(), totalBytes(), lastSeq, ackedSeq, pending(),
                damagedSegments == 0 ? "" : ", " + truncatedBytes + " damaged byte(s) cut from " + damagedSegments + " segment(s)");
    }

    /** A segment without its header: the last one is started afresh, an earlier one is deleted. */
    private void dropHeaderless(Segment s, long base, boolean last) throws IOException {
        damaged(s.file(), s.size(), "no segment header");
        if (last) {
            s.reset();
            segments.put(base, s);
        } else {
            s.delete();
        }
    }

    /**
     * Reads every record of {@code s}, cutting a damaged tail; the first record after the acknowledged one
     * is where sending resumes, unless an earlier segment held it ({@code sendFound}).
     *
     * @return whether the resume point is found now
     */
    private boolean scan(Segment s, long base, boolean sendFound) throws IOException {
        FrameReader r = s.reader(s.dataStart(), Math.max(lastSeq, base - 1), codec, SCAN_BUFFER);
        while (true) {
            long at = r.offset();
            FrameReader.Outcome outcome = r.next();
            if (outcome != FrameReader.Outcome.RECORD) {
                if (outcome != FrameReader.Outcome.END) {
                    damaged(s.file(), s.size() - at, r.problem());
                    s.truncate(at);
                }
                return sendFound;
            }
            s.noteRecord(r.record().seq());
            if (!sendFound && r.record().seq() > ackedSeq) {
                sendFound = true;
                sendSegment = base;
                sendOffset = at;
            }
        }
    }

    /** Makes sure there is an active segment and the sequence never goes back; with nothing to resend, sending resumes at its end. */
    private void openActive(long sequenceFloor, boolean sendFound) throws IOException {
        lastSeq = Math.max(Math.max(lastSeq, ackedSeq), sequenceFloor);
        if (segments.isEmpty()) {
            addSegment(lastSeq + 1);
        }
        Segment active = segments.lastEntry().getValue();
        lastSeq = Math.max(lastSeq, active.baseSeq() - 1);
        if (!sendFound) {
            sendSegment = active.baseSeq();
            sendOffset = active.size();
        }
    }

    private List<Map.Entry<Long, Path>> listSegments() throws IOException {
        TreeMap<Long, Path> found = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.seg")) {
            for (Path p : ds) {
                Segment.baseSeqOf(p).ifPresent(base -> found.put(base, p));
            }
        }
        return new ArrayList<>(found.entrySet());
    }

    private void damaged(Path file, long bytes, String problem) {
        damagedSegments++;
        truncatedBytes += bytes;
        LOG.warn("telemetry journal: {}: {}; keeping the valid prefix, {} byte(s) cut off", file.getFileName(), problem, bytes);
    }

    /**
     * Appends a record; it survives a killed process once this returns, and a power loss once
     * {@link #syncRecords()} has run.
     *
     * @throws IllegalArgumentException if {@code record.seq()} is not above {@link #lastSeq()}
     * @throws JournalException         if the file cannot be written (the record is not in the journal)
     */
    public synchronized void append(TelemetryRecord record) {
        ensureOpen();
        if (record.seq() <= lastSeq) {
            throw new IllegalArgumentException("seq " + record.seq() + " is not above the journal's last seq " + lastSeq);
        }
        frame.reset();
        frame.writeInt(0);
        frame.writeInt(0);
        codec.encode(record, frame);
        int payload = frame.size() - Frames.HEADER;
        if (payload > Frames.MAX_PAYLOAD) {
            throw new JournalException("record " + record.seq() + " is " + payload + " bytes, more than " + Frames.MAX_PAYLOAD);
        }
        frame.setInt(0, payload);
        frame.setInt(4, Frames.crc(frame.array(), 0, payload));
        try {
            Segment active = segments.lastEntry().getValue();
            if (active.size() + frame.size() > settings.segmentBytes() && !active.isEmpty()) {
                active = roll(record.seq());
            }
            evictToFit(frame.size());
            active.append(ByteBuffer.wrap(frame.array(), 0, frame.size()), record.seq());
        } catch (IOException e) {
            throw new JournalException("cannot append to telemetry journal " + dir + ": " + e.getMessage(), e);
        }
        lastSeq = record.seq();
    }

    private Segment roll(long nextSeq) throws IOException {
        Segment old = segments.lastEntry().getValue();
        old.sync();
        old.close();
        return addSegment(nextSeq);
    }

    private Segment addSegment(long baseSeq) throws IOException {
        Segment s = Segment.create(dir, baseSeq);
        segments.put(baseSeq, s);
        syncDirectory();
        return s;
    }

    private void evictToFit(int incoming) throws IOException {
        while (totalBytes() + incoming > settings.maxBytes() && segments.size() > 1) {
            Segment oldest = segments.pollFirstEntry().getValue();
            long lost = unacknowledgedIn(oldest);
            oldest.delete();
            if (lost > 0) {
                evictedRecords += lost;
                cursorDirty = true;
                LOG.warn("telemetry journal {} full ({} bytes): evicted segment {} with {} unsent record(s) (seq {}..{}); "
                        + "{} evicted in total", dir, settings.maxBytes(), oldest.file().getFileName(), lost,
                        Math.max(oldest.firstSeq(), ackedSeq + 1), oldest.lastSeq(), evictedRecords);
            }
            if (sendSegment <= oldest.baseSeq()) {
                Segment next = segments.firstEntry().getValue();
                sendSegment = next.baseSeq();
                sendOffset = next.dataStart();
            }
        }
    }

    /** fsyncs the records appended since the last sync; returns whether there was anything to sync. */
    public synchronized boolean syncRecords() {
        if (closed) {
            return false;
        }
        try {
            return segments.lastEntry().getValue().sync();
        } catch (IOException e) {
            throw new JournalException("cannot fsync telemetry journal " + dir + ": " + e.getMessage(), e);
        }
    }

    /** {@link #syncRecords()}, then persists the cursor if it moved: the group commit, run on a timer. */
    public synchronized void sync() {
        if (closed) {
            return;
        }
        syncRecords();
        if (cursorDirty) {
            try {
                cursor.write(new JournalCursor.State(ackedSeq, evictedRecords, reportedEvictions));
                cursorDirty = false;
            } catch (IOException e) {
                throw new JournalException("cannot write journal cursor in " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    /** Up to {@code max} records from the first unacknowledged one, in sequence order; empty if none. */
    public synchronized JournalBatch readBatch(int max) {
        ensureOpen();
        List<TelemetryRecord> records = new ArrayList<>(Math.min(max, 64));
        long endSegment = sendSegment;
        long endOffset = sendOffset;
        try {
            for (Segment s : List.copyOf(segments.tailMap(sendSegment, true).values())) {
                if (records.size() >= max) {
                    break;
                }
                long start = s.baseSeq() == sendSegment ? sendOffset : s.dataStart();
                FrameReader r = s.reader(start, records.isEmpty() ? 0 : records.get(records.size() - 1).seq(), codec, READ_BUFFER);
                endSegment = s.baseSeq();
                endOffset = start;
                FrameReader.Outcome outcome;
                while (records.size() < max && (outcome = r.next()) != FrameReader.Outcome.END) {
                    if (outcome != FrameReader.Outcome.RECORD) {
                        // Damaged since it was written or scanned: cut it off as at start-up, so that replay moves on.
                        damaged(s.file(), s.size() - r.offset(), r.problem());
                        s.truncate(r.offset());
                        break;
                    }
                    records.add(r.record());
                    endOffset = r.offset();
                }
                if (s != segments.lastEntry().getValue()) {
                    s.close();
                }
            }
        } catch (IOException e) {
            throw new JournalException("cannot read telemetry journal " + dir + ": " + e.getMessage(), e);
        }
        return new JournalBatch(records, endSegment, endOffset);
    }

    /** The cloud stored {@code batch} (its receipt came): replay continues after it and wholly sent segments go. */
    public synchronized void acknowledge(JournalBatch batch) {
        if (closed || batch.isEmpty()) {
            return;
        }
        ackedSeq = Math.max(ackedSeq, batch.lastSeq());
        cursorDirty = true;
        boolean forward = batch.endSegment() > sendSegment
                || batch.endSegment() == sendSegment && batch.endOffset() > sendOffset;
        if (forward && segments.containsKey(batch.endSegment())) {
            sendSegment = batch.endSegment();
            sendOffset = batch.endOffset();
        }
        try {
            trimAcknowledged();
        } catch (IOException e) {
            LOG.warn("telemetry journal {}: cannot delete a sent segment: {}", dir, e.toString());
        }
    }

    private void trimAcknowledged() throws IOException {
        Segment current = segments.get(sendSegment);
        Map.Entry<Long, Segment> next = segments.higherEntry(sendSegment);
        if (current != null && next != null && sendOffset >= current.size()) {
            sendSegment = next.getKey();
            sendOffset = next.getValue().dataStart();
        }
        while (segments.size() > 1 && segments.firstKey() < sendSegment) {
            segments.pollFirstEntry().getValue().delete();
        }
    }

    /** Evicted records not yet reported to the cloud (they are reported as a {@code JOURNAL_EVICTED} event). */
    public synchronized long unreportedEvictions() {
        return evictedRecords - reportedEvictions;
    }

    /** The eviction event for {@code count} records was acknowledged by the broker. */
    public synchronized void evictionsReported(long count) {
        reportedEvictions = Math.min(evictedRecords, reportedEvictions + count);
        cursorDirty = true;
    }

    public synchronized long lastSeq() {
        return lastSeq;
    }

    public synchronized JournalStats stats() {
        return new JournalStats(segments.size(), totalBytes(), lastSeq, ackedSeq, pending(), evictedRecords,
                truncatedBytes, damagedSegments);
    }

    public Path directory() {
        return dir;
    }

    public JournalSettings settings() {
        return settings;
    }

    private long pending() {
        long n = 0;
        for (Segment s : segments.values()) {
            n += unacknowledgedIn(s);
        }
        return n;
    }

    /** Records above the acknowledged seq; counted by sequence range, exact unless sampling left gaps. */
    private long unacknowledgedIn(Segment s) {
        if (s.isEmpty() || s.lastSeq() <= ackedSeq) {
            return 0;
        }
        if (s.firstSeq() > ackedSeq) {
            return s.records();
        }
        return Math.min(s.records(), s.lastSeq() - ackedSeq);
    }

    private long totalBytes() {
        long n = 0;
        for (Segment s : segments.values()) {
            n += s.size();
        }
        return n;
    }

    private void syncDirectory() {
        // A new file's directory entry is durable only once the directory itself is fsynced.
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("cannot fsync directory {}: {}", dir, e.toString());
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new JournalException("telemetry journal " + dir + " is closed");
        }
    }

    /** fsyncs records and cursor, then closes the files. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            sync();
        } finally {
            closed = true;
            closeQuietly();
        }
    }

    private void closeQuietly() {
        for (Segment s : segments.values()) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.debug("closing {}: {}", s.file(), e.toString());
            }
        }
    }
}
