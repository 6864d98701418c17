package io.latchkey.cloud.store;

import io.latchkey.cloud.datadir.PrivateFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A {@link TenantStore} in one directory: {@code docs/{collection}/{id}.json} and
 * {@code streams/{stream}.jsonl}. A document is written to a temporary file, forced to disk and
 * moved over the old one atomically; its version is a digest of its bytes (like a blob's ETag).
 * Compare-and-swap is guarded by in-process locks, so one directory belongs to one process.
 */
public final class FileTenantStore implements TenantStore {
    private static final int STRIPES = 64;
    /** One batch is one heap buffer; far above any telemetry batch (50 records of a few hundred bytes). */
    private static final long MAX_BATCH_BYTES = 64L * 1024 * 1024;

    private final Path root;
    private final Object[] locks = new Object[STRIPES];

    public FileTenantStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
        try {
            PrivateFiles.createDirectories(this.root);
        } catch (IOException e) {
            throw new StoreException("cannot create store directory " + this.root, e);
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public Optional<Versioned<byte[]>> read(String collection, String id) {
        Path file = documentPath(collection, id);
        try {
            byte[] bytes = Files.readAllBytes(file);
            return Optional.of(new Versioned<>(bytes, versionOf(bytes)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreException("cannot read " + collection + "/" + id, e);
        }
    }

    @Override
    public String create(String collection, String id, byte[] content) {
        Path file = documentPath(collection, id);
        synchronized (lockFor(file)) {
            if (Files.exists(file)) {
                throw new DocumentExistsException(collection, id);
            }
            return write(file, content);
        }
    }

    @Override
    public String replace(String collection, String id, byte[] content, String expectedVersion) {
        Path file = documentPath(collection, id);
        synchronized (lockFor(file)) {
            Optional<Versioned<byte[]>> current = read(collection, id);
            if (current.isEmpty() || !current.get().version().equals(expectedVersion)) {
                throw new VersionConflictException(collection, id);
            }
            return write(file, content);
        }
    }

    @Override
    public void delete(String collection, String id) {
        Path file = documentPath(collection, id);
        synchronized (lockFor(file)) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new StoreException("cannot delete " + collection + "/" + id, e);
            }
        }
    }

    @Override
    public List<String> list(String collection) {
        Path dir = root.resolve("docs").resolve(Names.require("collection", collection));
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".json") && !n.startsWith("."))
                    .map(n -> n.substring(0, n.length() - ".json".length()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new StoreException("cannot list " + collection, e);
        }
    }

    @Override
    public void append(String stream, byte[] record) {
        appendAll(stream, List.of(record));
    }

    @Override
    public void appendAll(String stream, List<byte[]> records) {
        Path file = streamPath(stream);
        records.forEach(FileTenantStore::requireOneLine);
        if (records.isEmpty()) {
            return;
        }
        synchronized (lockFor(file)) {
            appendLocked(stream, file, records);
        }
    }

    @Override
    public StreamEnd end(String stream) {
        Path file = streamPath(stream);
        synchronized (lockFor(file)) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = channel.size();
                return new StreamEnd(lastLine(channel, size), Long.toString(size));
            } catch (NoSuchFileException e) {
                return new StreamEnd(Optional.empty(), "0");
            } catch (IOException e) {
                throw new StoreException("cannot read stream " + stream, e);
            }
        }
    }

    @Override
    public StreamEnd appendAt(String stream, byte[] record, String expectedPosition) {
        return appendAllAt(stream, List.of(record), expectedPosition);
    }

    @Override
    public StreamEnd appendAllAt(String stream, List<byte[]> records, String expectedPosition) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("appendAllAt needs at least one record");
        }
        records.forEach(FileTenantStore::requireOneLine);
        Path file = streamPath(stream);
        synchronized (lockFor(file)) {
            long size;
            try {
                size = Files.exists(file) ? Files.size(file) : 0;
            } catch (IOException e) {
                throw new StoreException("cannot read stream " + stream, e);
            }
            if (!Long.toString(size).equals(expectedPosition)) {
                throw new StreamChangedException(stream);
            }
            long end = appendLocked(stream, file, records);
            return new StreamEnd(Optional.of(records.get(records.size() - 1).clone()), Long.toString(end));
        }
    }

    @Override
    public StreamRead since(String stream, String position) {
        long from = fileOffset(position);
        Path file = streamPath(stream);
        synchronized (lockFor(file)) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = channel.size();
                if (from > size) {
                    throw new IllegalArgumentException("position " + position + " lies beyond the end of stream " + stream);
                }
                ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(size - from));
                while (bytes.hasRemaining()) {
                    if (channel.read(bytes, from + bytes.position()) < 0) {
                        throw new IOException("stream shrank while reading");
                    }
                }
                List<byte[]> records = new ArrayList<>();
                byte[] content = bytes.array();
                int start = 0;
                for (int i = 0; i <= content.length; i++) {
                    if (i == content.length || content[i] == '\n') {
                        if (!new String(content, start, i - start, StandardCharsets.UTF_8).isBlank()) {
                            records.add(java.util.Arrays.copyOfRange(content, start, i));
                        }
                        start = i + 1;
                    }
                }
                return new StreamRead(records, Long.toString(size));
            } catch (NoSuchFileException e) {
                if (from != 0) {
                    throw new IllegalArgumentException("position " + position + " lies beyond the end of stream " + stream);
                }
                return new StreamRead(List.of(), "0");
            } catch (IOException e) {
                throw new StoreException("cannot read stream " + stream, e);
            }
        }
    }

    @Override
    public String start() {
        return "0";
    }

    private static long fileOffset(String position) {
        if (position == null || !position.matches("[0-9]{1,18}")) {
            throw new IllegalArgumentException("not a stream position of this store: '" + position + "'");
        }
        return Long.parseLong(position);
    }

    @Override
    public List<String> collections() {
        return namesIn(root.resolve("docs"), true, "");
    }

    @Override
    public List<String> streams() {
        return namesIn(root.resolve("streams"), false, ".jsonl");
    }

    private List<String> namesIn(Path dir, boolean directories, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> directories ? Files.isDirectory(p) : Files.isRegularFile(p))
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(suffix) && !n.startsWith("."))
                    .map(n -> n.substring(0, n.length() - suffix.length()))
                    .filter(n -> !directories || !list(n).isEmpty())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new StoreException("cannot list " + root.relativize(dir), e);
        }
    }

    private static void requireOneLine(byte[] record) {
        for (byte b : record) {
            if (b == '\n' || b == '\r') {
                throw new IllegalArgumentException("a stream record must be one line");
            }
        }
    }

    /**
     * Writes all records with one write and one {@code force}: a crash can tear only the tail of the
     * batch, and the next append starts after it on a fresh line.
     *
     * @return the stream's size after the append
     */
    private long appendLocked(String stream, Path file, List<byte[]> records) {
        long bytes = 1;
        for (byte[] record : records) {
            bytes += record.length + 1;
        }
        if (bytes > MAX_BATCH_BYTES) {
            throw new IllegalArgumentException("a batch of stream records must be at most " + MAX_BATCH_BYTES
                    + " bytes, got " + bytes);
        }
        try {
            PrivateFiles.createDirectories(file.getParent());
            try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.READ), PrivateFiles.fileAttributes(file))) {
                long size = channel.size();
                // A crash mid-append leaves a partial last line; start on a fresh line so only
                // that partial record is lost, never the ones written now.
                boolean needsNewline = size > 0 && lastByte(channel, size) != '\n';
                ByteBuffer buffer = ByteBuffer.allocate((int) bytes);
                if (needsNewline) {
                    buffer.put((byte) '\n');
                }
                for (byte[] record : records) {
                    buffer.put(record).put((byte) '\n');
                }
                buffer.flip();
                channel.position(size);
                try {
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    channel.force(false);
                } catch (IOException e) {
                    // The caller hears "not stored" (a device gets no receipt and resends): take back
                    // whatever part of the batch reached the file, so the resend cannot duplicate it.
                    try {
                        channel.truncate(size);
                    } catch (IOException undo) {
                        e.addSuppressed(undo);
                    }
                    throw e;
                }
                return channel.size();
            }
        } catch (IOException e) {
            throw new StoreException("cannot append to " + stream, e);
        }
    }

    /** The last non-blank line: reads a tail window, doubled until it holds the whole line. */
    private static Optional<byte[]> lastLine(FileChannel channel, long size) throws IOException {
        for (long window = Math.min(size, 8192); ; window = Math.min(size, window * 2)) {
            ByteBuffer tail = ByteBuffer.allocate(Math.toIntExact(window));
            while (tail.hasRemaining()) {
                if (channel.read(tail, size - window + tail.position()) < 0) {
                    throw new IOException("stream shrank while reading");
                }
            }
            byte[] bytes = tail.array();
            int end = bytes.length;
            while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
                end--;
            }
            int start = end;
            while (start > 0 && bytes[start - 1] != '\n') {
                start--;
            }
            if (start > 0 || window == size) {
                return end == 0 ? Optional.empty() : Optional.of(java.util.Arrays.copyOfRange(bytes, start, end));
            }
        }
    }

    @Override
    public List<byte[]> tail(String stream, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        Deque<byte[]> last = new ArrayDeque<>(Math.min(limit, 1024));
        forEach(stream, record -> {
            if (last.size() == limit) {
                last.removeFirst();
            }
            last.addLast(record);
        });
        return new ArrayList<>(last);
    }

    @Override
    public void forEach(String stream, Consumer<byte[]> consumer) {
        Path file = streamPath(stream);
        try (InputStream in = Files.newInputStream(file);
             BufferedReader reader = new BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isBlank()) {
                    consumer.accept(line.getBytes(StandardCharsets.UTF_8));
                }
            }
        } catch (NoSuchFileException e) {
            // an unknown stream has no records
        } catch (IOException e) {
            throw new StoreException("cannot read stream " + stream, e);
        }
    }

    private String write(Path file, byte[] content) {
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            PrivateFiles.createDirectories(file.getParent());
            try (FileChannel channel = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PrivateFiles.fileAttributes(tmp))) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return versionOf(content);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the temporary file is invisible to readers; leaving it behind is harmless
            }
            throw new StoreException("cannot write " + root.relativize(file), e);
        }
    }

    private static byte lastByte(FileChannel channel, long size) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        channel.read(one, size - 1);
        return one.get(0);
    }

    private Path documentPath(String collection, String id) {
        return root.resolve("docs").resolve(Names.require("collection", collection))
                .resolve(Names.require("id", id) + ".json");
    }

    private Path streamPath(String stream) {
        return root.resolve("streams").resolve(Names.require("stream", stream) + ".jsonl");
    }

    private Object lockFor(Path file) {
        return locks[Math.floorMod(file.hashCode(), STRIPES)];
    }

    static String versionOf(byte[] content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException("SHA-256 missing", e));
        }
    }
}
