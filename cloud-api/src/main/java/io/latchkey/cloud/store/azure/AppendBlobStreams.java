package io.latchkey.cloud.store.azure;

import com.azure.core.util.Context;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.AppendBlobCreateOptions;
import com.azure.storage.blob.specialized.AppendBlobClient;
import io.latchkey.cloud.store.StreamChangedException;
import io.latchkey.cloud.store.StreamEnd;
import io.latchkey.cloud.store.StreamRead;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Append-only streams as a chain of append blobs, {@code streams/{stream}/{segment}.jsonl}, one or more
 * whole records (JSON lines) per block: one for {@code append}, a batch for {@code appendAll}. An append
 * blob takes at most 50,000 blocks, so a stream moves on to the next
 * segment when the current one is full ({@code segmentBytes}, enforced by the service with the
 * max-size condition, or the block limit). The full segment is sealed first, so no writer, in this
 * process or another, can append to it after a record went into the next one: append order holds
 * across replicas.
 */
final class AppendBlobStreams {
    private static final String PREFIX = "streams/";
    /** The position before a stream's first record: {@link #since} from it lists the segments and reads each. */
    static final String START = position(0, 0);
    private static final int TAIL_WINDOW = 64 * 1024;
    /** Append Block limit of service versions before 2022-11-02; newer ones (and Azurite 3.37) take 100 MiB. */
    static final int MAX_APPEND_BLOCK_BYTES = 4 * 1024 * 1024;
    private static final BlobHttpHeaders JSON_LINES = new BlobHttpHeaders().setContentType("application/x-ndjson");

    private final BlobContainerClient container;
    private final long segmentBytes;
    private final Duration timeout;
    private final BlobRequests requests;
    /** The segment this process last appended to, per stream: a hint, the service has the truth. */
    private final Map<String, Integer> current = new ConcurrentHashMap<>();

    AppendBlobStreams(BlobContainerClient container, long segmentBytes, Duration timeout, BlobRequests requests) {
        this.container = container;
        this.requests = requests;
        this.segmentBytes = segmentBytes;
        this.timeout = timeout;
    }

    /**
     * Appends the lines in order, packed into as few blocks as the block and segment limits allow (one
     * for a telemetry batch). Each block is atomic; a block that does not fit the current segment goes
     * whole into the next one, so a line never spans two segments.
     */
    void appendAll(String stream, List<byte[]> lines) {
        lines.forEach(this::requireFits);
        for (byte[] block : blocks(lines)) {
            appendBlock(stream, block);
        }
    }

    /** Whole lines, in order, each chunk at most a block and at most a segment. */
    private List<byte[]> blocks(List<byte[]> lines) {
        long limit = maxBlockBytes();
        List<byte[]> blocks = new ArrayList<>();
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        for (byte[] line : lines) {
            if (block.size() > 0 && block.size() + line.length > limit) {
                blocks.add(block.toByteArray());
                block.reset();
            }
            block.writeBytes(line);
        }
        if (block.size() > 0) {
            blocks.add(block.toByteArray());
        }
        return blocks;
    }

    private void appendBlock(String stream, byte[] block) {
        int segment = current.computeIfAbsent(stream, s -> lastSegment(s).orElse(0));
        while (true) {
            AppendBlobClient blob = segment(stream, segment);
            try {
                appendBlock(blob.getBlobName(), block, null);
                return;
            } catch (BlobStorageException e) {
                if (BlobErrors.notFound(e)) {
                    createIfMissing(blob);
                } else if (BlobErrors.segmentFull(e)) {
                    seal(blob);
                    segment = advance(stream, segment);
                } else {
                    throw BlobErrors.failure("append to stream " + stream, e);
                }
            }
        }
    }

    StreamEnd end(String stream) {
        List<Integer> segments = segments(stream);
        if (segments.isEmpty()) {
            return new StreamEnd(Optional.empty(), position(0, 0));
        }
        int last = segments.get(segments.size() - 1);
        long length = segment(stream, last).getProperties().getBlobSize();
        Optional<byte[]> record = Optional.empty();
        for (int i = segments.size() - 1; i >= 0 && record.isEmpty(); i--) {
            record = lastLine(segment(stream, segments.get(i)));
        }
        return new StreamEnd(record, position(last, length));
    }

    StreamEnd appendAt(String stream, byte[] line, String expectedPosition) {
        return appendAllAt(stream, List.of(line), expectedPosition);
    }

    /** The lines (each ending in a newline) as one block, appended only at {@code expectedPosition}. */
    StreamEnd appendAllAt(String stream, List<byte[]> lines, String expectedPosition) {
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("appendAllAt needs at least one record");
        }
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        lines.forEach(joined::writeBytes);
        if (joined.size() > maxBlockBytes()) {
            throw new IllegalArgumentException("a conditional batch must fit one append block and one segment ("
                    + maxBlockBytes() + " bytes), got " + joined.size());
        }
        return appendBlockAt(stream, joined.toByteArray(), lines.get(lines.size() - 1), expectedPosition);
    }

    /**
     * The records after {@code position}: the rest of its segment (blocks are atomic, so only whole lines),
     * then every later segment; the new position is where the last segment read ends.
     */
    StreamRead since(String stream, String position) {
        int first = segmentOf(position);
        long from = lengthOf(position);
        if (from > 0) {
            // The common case, a replica catching up after another appended to the same segment: one ranged read,
            // no listing. A segment that is not sealed is the stream's last (a writer seals a full segment before
            // it appends to the next), so what the read returns is all there is.
            Optional<StreamRead> rest = restOfOpenSegment(stream, first, from);
            if (rest.isPresent()) {
                return rest.get();
            }
        }
        List<byte[]> records = new ArrayList<>();
        int endSegment = first;
        long endLength = from;
        for (int segment : segments(stream)) {
            if (segment < first) {
                continue;
            }
            AppendBlobClient blob = segment(stream, segment);
            long start = segment == first ? from : 0;
            byte[] bytes;
            if (start == 0) {
                bytes = download(blob);
            } else {
                long size = blob.getProperties().getBlobSize();
                if (size < start) {
                    throw new IllegalArgumentException("position " + position + " lies beyond the end of stream " + stream);
                }
                bytes = size == start ? new byte[0] : download(blob, new BlobRange(start), null);
            }
            records.addAll(lines(bytes));
            endSegment = segment;
            endLength = start + bytes.length;
        }
        return new StreamRead(records, position(endSegment, endLength));
    }

    /** The lines after {@code from} in an unsealed segment, with one request; empty if sealed or nothing follows. */
    private Optional<StreamRead> restOfOpenSegment(String stream, int segment, long from) {
        byte[] bytes;
        try {
            BlobRequests.Result response = requests.download(segmentName(stream, segment), from, null);
            if ("true".equalsIgnoreCase(response.headers().getValue(BlobRequests.SEALED))) {
                return Optional.empty();
            }
            bytes = response.body();
        } catch (BlobStorageException e) {
            // 416 (nothing after from), gone, or anything else: the listing path below knows what to do
            return Optional.empty();
        }
        return Optional.of(new StreamRead(lines(bytes), position(segment, from + bytes.length)));
    }

    private StreamEnd appendBlockAt(String stream, byte[] line, byte[] lastLine, String expectedPosition) {
        int segment = segmentOf(expectedPosition);
        long length = lengthOf(expectedPosition);
        String name = segmentName(stream, segment);
        try {
            if (length == 0) {
                createIfMissing(segment(stream, segment));
            }
            long offset = appendBlock(name, line, length);
            current.merge(stream, segment, Math::max);
            long end = offset + line.length;
            return new StreamEnd(Optional.of(withoutNewline(lastLine)), position(segment, end));
        } catch (BlobStorageException e) {
            if (BlobErrors.is(e, BlobErrorCode.APPEND_POSITION_CONDITION_NOT_MET) || BlobErrors.notFound(e)) {
                throw new StreamChangedException(stream);
            }
            if (!BlobErrors.segmentFull(e)) {
                throw BlobErrors.failure("append to stream " + stream, e);
            }
            // Sealed, its length is final: if it is still where the caller saw it, the caller saw the
            // whole segment and the record belongs at the start of the next one.
            AppendBlobClient blob = segment(stream, segment);
            seal(blob);
            if (blob.getProperties().getBlobSize() != length) {
                throw new StreamChangedException(stream);
            }
            return appendBlockAt(stream, line, lastLine, position(advance(stream, segment), 0));
        }
    }

    List<byte[]> tail(String stream, int limit) {
        List<Integer> segments = segments(stream);
        List<byte[]> newestFirst = new ArrayList<>();
        for (int i = segments.size() - 1; i >= 0 && newestFirst.size() < limit; i--) {
            List<byte[]> lines = lines(download(segment(stream, segments.get(i))));
            for (int j = lines.size() - 1; j >= 0 && newestFirst.size() < limit; j--) {
                newestFirst.add(lines.get(j));
            }
        }
        List<byte[]> oldestFirst = new ArrayList<>(newestFirst.size());
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            oldestFirst.add(newestFirst.get(i));
        }
        return oldestFirst;
    }

    void forEach(String stream, Consumer<byte[]> consumer) {
        for (int segment : segments(stream)) {
            lines(download(segment(stream, segment))).forEach(consumer);
        }
    }

    /** Streams with at least one segment. */
    List<String> names() {
        List<String> names = new ArrayList<>();
        for (BlobItem item : container.listBlobsByHierarchy("/", new ListBlobsOptions().setPrefix(PREFIX), timeout)) {
            if (Boolean.TRUE.equals(item.isPrefix())) {
                String name = item.getName().substring(PREFIX.length(), item.getName().length() - 1);
                names.add(name);
            }
        }
        names.sort(null);
        return names;
    }

    /** Appends the block, at {@code appendPosition} if not null, within the segment size; where the block went. */
    private long appendBlock(String blob, byte[] block, Long appendPosition) {
        BlobRequests.Result result = requests.appendBlock(blob, block, appendPosition, segmentBytes);
        return Long.parseLong(result.headers().getValue(BlobRequests.APPEND_OFFSET));
    }

    private void createIfMissing(AppendBlobClient blob) {
        try {
            blob.createWithResponse(new AppendBlobCreateOptions().setHeaders(JSON_LINES)
                    .setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*")), timeout, Context.NONE);
        } catch (BlobStorageException e) {
            if (!BlobErrors.is(e, BlobErrorCode.BLOB_ALREADY_EXISTS, BlobErrorCode.CONDITION_NOT_MET)) {
                throw BlobErrors.failure("create " + blob.getBlobName(), e);
            }
        }
    }

    private void seal(AppendBlobClient blob) {
        try {
            blob.sealWithResponse(null, timeout, Context.NONE);
        } catch (BlobStorageException e) {
            if (!BlobErrors.is(e, BlobErrors.BLOB_IS_SEALED)) {
                throw BlobErrors.failure("seal " + blob.getBlobName(), e);
            }
        }
    }

    private int advance(String stream, int full) {
        return current.merge(stream, full + 1, Math::max);
    }

    private Optional<Integer> lastSegment(String stream) {
        List<Integer> segments = segments(stream);
        return segments.isEmpty() ? Optional.empty() : Optional.of(segments.get(segments.size() - 1));
    }

    private List<Integer> segments(String stream) {
        String prefix = PREFIX + stream + "/";
        List<Integer> segments = new ArrayList<>();
        for (BlobItem item : container.listBlobs(new ListBlobsOptions().setPrefix(prefix), timeout)) {
            String rest = item.getName().substring(prefix.length());
            if (rest.matches("[0-9]{10}\\.jsonl")) {
                segments.add(Integer.parseInt(rest.substring(0, 10)));
            }
        }
        segments.sort(null);
        return segments;
    }

    private AppendBlobClient segment(String stream, int segment) {
        return container.getBlobClient(segmentName(stream, segment)).getAppendBlobClient();
    }

    private static String segmentName(String stream, int segment) {
        String number = Integer.toString(segment);
        return PREFIX + stream + "/" + "0".repeat(Math.max(0, 10 - number.length())) + number + ".jsonl";
    }

    /** The last record of one segment, read from a window at its end (the whole blob if the window holds no line break). */
    private Optional<byte[]> lastLine(AppendBlobClient blob) {
        BlobProperties properties = blob.getProperties();
        long size = properties.getBlobSize();
        if (size == 0) {
            return Optional.empty();
        }
        long from = Math.max(0, size - TAIL_WINDOW);
        byte[] window = download(blob, new BlobRange(from, size - from), properties.getETag());
        List<byte[]> lines = lines(window);
        boolean complete = from == 0 || (lines.size() > 1);
        if (!complete) {
            lines = lines(download(blob));
        }
        return lines.isEmpty() ? Optional.empty() : Optional.of(lines.get(lines.size() - 1));
    }

    private byte[] download(AppendBlobClient blob) {
        return download(blob, null, null);
    }

    private byte[] download(AppendBlobClient blob, BlobRange range, String etag) {
        try {
            long from = range == null ? 0 : range.getOffset();
            long to = range == null || range.getCount() == null ? -1 : range.getOffset() + range.getCount();
            return requests.download(blob.getBlobName(), from, to, etag).body();
        } catch (BlobStorageException e) {
            if (BlobErrors.notFound(e)) {
                return new byte[0];
            }
            if (BlobErrors.is(e, BlobErrorCode.CONDITION_NOT_MET)) {
                // appended to while we looked: the new end is as good an answer
                return download(blob, range == null ? null : new BlobRange(range.getOffset()), null);
            }
            throw BlobErrors.failure("read " + blob.getBlobName(), e);
        }
    }

    private void requireFits(byte[] line) {
        if (line.length > maxBlockBytes()) {
            throw new IllegalArgumentException("a stream record must be shorter than a segment and an append block ("
                    + maxBlockBytes() + " bytes)");
        }
    }

    private long maxBlockBytes() {
        return Math.min(segmentBytes, MAX_APPEND_BLOCK_BYTES);
    }

    static List<byte[]> lines(byte[] content) {
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= content.length; i++) {
            if (i == content.length || content[i] == '\n') {
                if (i > start && !isBlank(content, start, i)) {
                    lines.add(Arrays.copyOfRange(content, start, i));
                }
                start = i + 1;
            }
        }
        return lines;
    }

    private static boolean isBlank(byte[] content, int from, int to) {
        for (int i = from; i < to; i++) {
            if (content[i] != ' ' && content[i] != '\r' && content[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    private static byte[] withoutNewline(byte[] line) {
        return Arrays.copyOf(line, line.length - 1);
    }

    private static String position(int segment, long length) {
        return segment + ":" + length;
    }

    private static int segmentOf(String position) {
        return Integer.parseInt(parts(position)[0]);
    }

    private static long lengthOf(String position) {
        return Long.parseLong(parts(position)[1]);
    }

    private static String[] parts(String position) {
        if (position == null || !position.matches("[0-9]{1,9}:[0-9]{1,19}")) {
            throw new IllegalArgumentException("not a stream position of this store: '" + position + "'");
        }
        return position.split(":");
    }
}
