package io.latchkey.cloud.store;

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

    private final Path root;
    private final Object[] locks = new Object[STRIPES];

    public FileTenantStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
        try {
            Files.createDirectories(this.root);
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
        for (byte b : record) {
            if (b == '\n' || b == '\r') {
                throw new IllegalArgumentException("a stream record must be one line");
            }
        }
        Path file = streamPath(stream);
        synchronized (lockFor(file)) {
            try {
                Files.createDirectories(file.getParent());
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE, StandardOpenOption.READ)) {
                    long size = channel.size();
                    // A crash mid-append leaves a partial last line; start on a fresh line so only
                    // that partial record is lost, never the one written now.
                    boolean needsNewline = size > 0 && lastByte(channel, size) != '\n';
                    ByteBuffer buffer = ByteBuffer.allocate(record.length + 2);
                    if (needsNewline) {
                        buffer.put((byte) '\n');
                    }
                    buffer.put(record).put((byte) '\n').flip();
                    channel.position(size);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    channel.force(false);
                }
            } catch (IOException e) {
                throw new StoreException("cannot append to " + stream, e);
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
            Files.createDirectories(file.getParent());
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
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
