package io.latchkey.agent.command;

import io.latchkey.agent.AgentException;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.ProtocolException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command history in an append-only file of JSON lines under the data directory, one line per
 * begun or completed id, forced to disk on every write (commands are rare; losing one would allow a
 * second physical effect). When the file holds twice the capacity it is rewritten with the
 * remembered entries only (to a temporary file, then atomically moved). Unreadable lines, such as a
 * tail torn by a power cut, are skipped and counted.
 */
public final class FileCommandHistory extends InMemoryCommandHistory {
    private static final Logger LOG = LoggerFactory.getLogger(FileCommandHistory.class);
    public static final String FILE_NAME = "commands.jsonl";

    private final Path file;
    private final int capacity;
    private FileChannel channel;
    private int linesInFile;
    private int skippedLines;

    public FileCommandHistory(Path dataDir, int capacity, String deviceId, Clock clock) {
        super(capacity, deviceId, clock);
        this.capacity = capacity;
        this.file = dataDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dataDir);
            load();
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new AgentException("cannot open command history " + file + ": " + e.getMessage(), e);
        }
    }

    /** Lines that could not be read at start-up (a torn tail after a power cut, for instance). */
    public int skippedLines() {
        return skippedLines;
    }

    private void load() throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        if (end < bytes.length) {
            // A torn last line (power cut mid-write): cut it off so the next append starts on a line of its own.
            skippedLines++;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(end);
            }
        }
        for (String line : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                HistoryEntry e = Json.read(line.getBytes(StandardCharsets.UTF_8), HistoryEntry.class);
                if (e.id() == null) {
                    throw new ProtocolException("entry without id");
                }
                super.remember(e);
                linesInFile++;
            } catch (ProtocolException e) {
                skippedLines++;
            }
        }
        if (skippedLines > 0) {
            LOG.warn("command history {}: skipped {} unreadable line(s)", file, skippedLines);
        }
    }

    @Override
    protected synchronized void remember(HistoryEntry entry) {
        append(entry);
        super.remember(entry);
        if (linesInFile > 2 * capacity) {
            compact();
        }
    }

    private void append(HistoryEntry entry) {
        byte[] line = (new String(Json.write(entry), StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            ByteBuffer buf = ByteBuffer.wrap(line);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            channel.force(false);
            linesInFile++;
        } catch (IOException e) {
            throw new AgentException("cannot write command history " + file + ": " + e.getMessage(), e);
        }
    }

    private void compact() {
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            int n = 0;
            for (HistoryEntry e : snapshot()) {
                out.write(ByteBuffer.wrap((new String(Json.write(e), StandardCharsets.UTF_8) + "\n")
                        .getBytes(StandardCharsets.UTF_8)));
                n++;
            }
            out.force(true);
            channel.close();
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            linesInFile = n;
        } catch (IOException e) {
            throw new AgentException("cannot compact command history " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (channel != null && channel.isOpen()) {
                channel.close();
            }
        } catch (IOException e) {
            LOG.warn("closing command history {}: {}", file, e.getMessage());
        }
    }
}
