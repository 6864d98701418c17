package io.latchkey.simulator.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts telemetry records in the backend's file store — one JSON line per stored record in
 * {@code tenants/{tenant}/streams/telemetry-*.jsonl} — by reading only what each file grew by since the
 * last look. This is "counted from the store": a record counts once the backend has written it.
 */
final class StoreCounter implements RecordCounter {
    private final Path streams;
    private final Map<Path, Long> offsets = new HashMap<>();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
    private final Path dataDir;
    private final String tenant;
    private long lines;

    StoreCounter(Path dataDir, String tenant) {
        this.dataDir = dataDir;
        this.tenant = tenant;
        this.streams = dataDir.resolve("tenants").resolve(tenant).resolve("streams");
    }

    @Override
    public synchronized long count() {
        if (!Files.isDirectory(streams)) {
            return 0;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(streams, "telemetry-*.jsonl")) {
            for (Path f : files) {
                lines += newLines(f);
            }
        } catch (IOException e) {
            // A file being replaced mid-read is counted at the next look.
        }
        return lines;
    }

    private long newLines(Path file) throws IOException {
        long from = offsets.getOrDefault(file, 0L);
        long n = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long pos = from;
            long size = ch.size();
            while (pos < size) {
                buffer.clear();
                int read = ch.read(buffer, pos);
                if (read <= 0) {
                    break;
                }
                for (int i = 0; i < read; i++) {
                    if (buffer.get(i) == '\n') {
                        n++;
                    }
                }
                pos += read;
            }
            offsets.put(file, pos);
        }
        return n;
    }

    @Override
    public List<Long> seqs(String deviceId) throws IOException {
        return StoreAudit.seqs(dataDir, tenant, deviceId);
    }
}
