package io.latchkey.agent.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One segment file, {@code <base seq, 20 digits>.seg}: the magic, then frames whose sequence numbers
 * are all at least the base. Keeps what the journal needs to know about it without reading it again
 * (first and last seq, record count, size). Only the active segment is written to.
 */
final class Segment {
    private static final Pattern NAME = Pattern.compile("(\\d{20})\\.seg");

    private final Path file;
    private final long baseSeq;
    private FileChannel channel;
    private long size;
    private long firstSeq;
    private long lastSeq;
    private long records;
    private boolean dirty;

    private Segment(Path file, long baseSeq, FileChannel channel, long size) {
        this.file = file;
        this.baseSeq = baseSeq;
        this.channel = channel;
        this.size = size;
    }

    static String fileName(long baseSeq) {
        return String.format("%020d.seg", baseSeq);
    }

    static Optional<Long> baseSeqOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    }

    /** Creates a new empty segment holding only the magic, durable once this returns. */
    static Segment create(Path dir, long baseSeq) throws IOException {
        Path file = dir.resolve(fileName(baseSeq));
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ, StandardOpenOption.TRUNCATE_EXISTING);
        ch.write(ByteBuffer.wrap(Frames.MAGIC), 0);
        ch.force(true);
        return new Segment(file, baseSeq, ch, Frames.MAGIC.length);
    }

    /** Opens an existing segment for reading and, if it becomes the active one, appending. */
    static Segment open(Path file, long baseSeq) throws IOException {
        FileChannel ch = openChannel(file);
        return new Segment(file, baseSeq, ch, ch.size());
    }

    private static FileChannel openChannel(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.READ);
    }

    /** The file, opened again if it was {@linkplain #close() closed} (only the active segment stays open). */
    private FileChannel channel() throws IOException {
        if (channel == null) {
            channel = openChannel(file);
        }
        return channel;
    }

    /** Whether the file starts with the magic (a shorter file may be a segment torn at creation). */
    boolean hasMagic() throws IOException {
        if (size < Frames.MAGIC.length) {
            return false;
        }
        ByteBuffer b = ByteBuffer.allocate(Frames.MAGIC.length);
        while (b.hasRemaining() && channel().read(b, b.position()) >= 0) {
            // positional reads until the magic is in
        }
        return java.util.Arrays.equals(b.array(), Frames.MAGIC);
    }

    /** Writes the magic over whatever is there and drops the rest (a segment whose header was lost). */
    void reset() throws IOException {
        FileChannel ch = channel();
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(Frames.MAGIC), 0);
        ch.force(true);
        size = Frames.MAGIC.length;
        firstSeq = lastSeq = records = 0;
    }

    FrameReader reader(long offset, long previousSeq, RecordCodec codec, int bufferSize) throws IOException {
        return new FrameReader(channel(), size, offset, previousSeq, codec, bufferSize);
    }

    /** Cuts the file at {@code offset}, the end of its valid prefix. */
    void truncate(long offset) throws IOException {
        FileChannel ch = channel();
        ch.truncate(offset);
        ch.force(true);
        size = offset;
    }

    void append(ByteBuffer frame, long seq) throws IOException {
        FileChannel ch = channel();
        long at = size;
        while (frame.hasRemaining()) {
            at += ch.write(frame, at);
        }
        size = at;
        noteRecord(seq);
        dirty = true;
    }

    void noteRecord(long seq) {
        if (records == 0) {
            firstSeq = seq;
        }
        lastSeq = seq;
        records++;
    }

    /** fdatasync: the data and the file length, which is what recovery reads back; not the timestamps. */
    boolean sync() throws IOException {
        if (!dirty) {
            return false;
        }
        channel().force(false);
        dirty = false;
        return true;
    }

    void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    void delete() throws IOException {
        close();
        Files.deleteIfExists(file);
    }

    Path file() {
        return file;
    }

    long baseSeq() {
        return baseSeq;
    }

    long size() {
        return size;
    }

    long firstSeq() {
        return firstSeq;
    }

    long lastSeq() {
        return lastSeq;
    }

    long records() {
        return records;
    }

    boolean isEmpty() {
        return records == 0;
    }

    long dataStart() {
        return Frames.MAGIC.length;
    }
}
