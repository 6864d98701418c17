package io.latchkey.agent.journal;

import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads frames one after another from a segment file through a read buffer. Stops at the first frame
 * that is incomplete (a torn write) or damaged (bad length, checksum, undecodable, sequence going
 * backwards) and says why, so that the caller can keep the valid prefix.
 */
final class FrameReader {
    /** What the last {@link #next()} found. */
    enum Outcome { RECORD, END, TORN, CORRUPT }

    private final FileChannel channel;
    private final long fileSize;
    private final RecordCodec codec;
    private ByteBuffer buffer;
    private long bufferStart;
    private long offset;
    private long lastSeq;
    private TelemetryRecord record;
    private String problem;

    FrameReader(FileChannel channel, long fileSize, long startOffset, long previousSeq, RecordCodec codec, int bufferSize) {
        this.channel = channel;
        this.fileSize = fileSize;
        this.offset = startOffset;
        this.lastSeq = previousSeq;
        this.codec = codec;
        this.buffer = ByteBuffer.allocate(Math.max(bufferSize, 64));
        this.buffer.limit(0);
        this.bufferStart = startOffset;
    }

    /** Offset of the next frame (after a RECORD), or of the bad frame (after TORN or CORRUPT). */
    long offset() {
        return offset;
    }

    TelemetryRecord record() {
        return record;
    }

    String problem() {
        return problem;
    }

    Outcome next() throws IOException {
        record = null;
        long left = fileSize - offset;
        if (left == 0) {
            return Outcome.END;
        }
        if (left < Frames.HEADER) {
            return fail(Outcome.TORN, "incomplete frame header (" + left + " bytes)");
        }
        int at = fill(Frames.HEADER);
        byte[] b = buffer.array();
        int length = Frames.readInt(b, at);
        int crc = Frames.readInt(b, at + 4);
        if (length <= 0 || length > Frames.MAX_PAYLOAD) {
            return fail(length == 0 && crc == 0 ? Outcome.TORN : Outcome.CORRUPT, "impossible record length " + length);
        }
        if (left < Frames.HEADER + (long) length) {
            return fail(Outcome.TORN, "incomplete record (" + left + " of " + (Frames.HEADER + length) + " bytes)");
        }
        at = fill(Frames.HEADER + length);
        b = buffer.array();
        if (Frames.crc(b, at, length) != crc) {
            return fail(Outcome.CORRUPT, "checksum mismatch");
        }
        TelemetryRecord r;
        try {
            r = codec.decode(b, at + Frames.HEADER, length);
        } catch (MalformedRecordException e) {
            return fail(Outcome.CORRUPT, "undecodable record: " + e.getMessage());
        }
        if (r.seq() <= lastSeq) {
            return fail(Outcome.CORRUPT, "sequence " + r.seq() + " does not follow " + lastSeq);
        }
        lastSeq = r.seq();
        record = r;
        offset += Frames.HEADER + length;
        return Outcome.RECORD;
    }

    private Outcome fail(Outcome outcome, String why) {
        problem = why + " at offset " + offset;
        return outcome;
    }

    /** Makes {@code n} bytes from {@link #offset} available in the buffer; returns their index in it. */
    private int fill(int n) throws IOException {
        long rel = offset - bufferStart;
        if (rel >= 0 && rel + n <= buffer.limit()) {
            return (int) rel;
        }
        if (n > buffer.capacity()) {
            buffer = ByteBuffer.allocate(n);
        }
        buffer.clear();
        bufferStart = offset;
        long want = Math.min(buffer.capacity(), fileSize - offset);
        buffer.limit((int) want);
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, bufferStart + buffer.position());
            if (read < 0) {
                throw new IOException("file shrank while reading at " + (bufferStart + buffer.position()));
            }
        }
        buffer.flip();
        if (buffer.limit() < n) {
            throw new IOException("short read at " + offset);
        }
        return 0;
    }
}
