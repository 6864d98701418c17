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
import java.util.Optional;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command history under the data directory, forced to disk on every write (commands are rare; losing
 * one would allow a second physical effect), in two files:
 * <ul>
 *   <li>{@value #FILE_NAME}: an append-only file of JSON lines, one per completed id (and per id found
 *       begun but never completed at start-up). When it holds twice the capacity it is rewritten with the
 *       remembered entries only (to a temporary file, then atomically moved). Unreadable lines, such as a
 *       tail torn by a power cut, are skipped and counted.</li>
 *   <li>{@value #BEGUN_FILE_NAME}: the "begun" marks, the one write on the command's path (before the relay
 *       moves). A small file of fixed slots, allocated and forced once, each mark overwriting a slot in place
 *       and forced with {@code fdatasync}: no size or block change, so the flush carries this one block and
 *       no file-system journal commit (which would wait for every other file's metadata on the disk), unlike an
 *       append to a growing file. A slot is reused only once its id is completed in {@value #FILE_NAME}; a
 *       slot that does not check (a write torn by a power cut, before the relay moved) is ignored. At
 *       start-up, every id marked begun and not completed is appended to {@value #FILE_NAME} as begun
 *       (answered {@code FAILED INTERRUPTED} from then on, never run again) before the slots are cleared.</li>
 * </ul>
 */
public final class FileCommandHistory extends InMemoryCommandHistory {
    private static final Logger LOG = LoggerFactory.getLogger(FileCommandHistory.class);
    public static final String FILE_NAME = "commands.jsonl";
    /** The file of "begun" slots, overwritten in place. */
    public static final String BEGUN_FILE_NAME = "commands-begun.bin";
    /** Bytes per slot: a header (magic, sequence, length), the id in UTF-8, zeros, a CRC-32 of all that at the end. */
    static final int SLOT_BYTES = 256;
    private static final int MAX_SLOTS = 16;
    private static final int MAGIC = 0x4C4B4247; // "LKBG"
    private static final int HEADER_BYTES = 4 + 8 + 2;
    private static final int MAX_ID_BYTES = SLOT_BYTES - HEADER_BYTES - 4;

    private final Path file;
    private final Path begunFile;
    /** The id begun in each slot and not yet completed (null: free to reuse). */
    private final String[] slotIds;
    private FileChannel begunChannel;
    private long begunSequence;
    private int nextSlot;
    private final int capacity;
    private FileChannel channel;
    private int linesInFile;
    private int skippedLines;

    public FileCommandHistory(Path dataDir, int capacity, String deviceId, Clock clock) {
        super(capacity, deviceId, clock);
        this.capacity = capacity;
        this.file = dataDir.resolve(FILE_NAME);
        this.begunFile = dataDir.resolve(BEGUN_FILE_NAME);
        // never more slots than remembered ids: a slot's id, once completed, is among the last `capacity` lines
        this.slotIds = new String[Math.min(MAX_SLOTS, capacity)];
        try {
            Files.createDirectories(dataDir);
            load();
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            openBegunSlots(dataDir);
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

    /**
     * Opens (or creates, allocated and forced with its directory entry) the slot file; ids begun in it and
     * not completed in the lines are appended to the lines as begun, then the slots are cleared.
     */
    private void openBegunSlots(Path dataDir) throws IOException {
        boolean created = !Files.exists(begunFile);
        begunChannel = FileChannel.open(begunFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long size = (long) slotIds.length * SLOT_BYTES;
        ByteBuffer all = ByteBuffer.allocate((int) Math.max(size, begunChannel.size()));
        while (all.hasRemaining() && begunChannel.read(all, all.position()) > 0) {
            // read the whole file (an older one may have had more slots)
        }
        all.flip();
        java.util.TreeMap<Long, String> begun = new java.util.TreeMap<>();
        for (int at = 0; at + SLOT_BYTES <= all.limit(); at += SLOT_BYTES) {
            readSlot(all, at).ifPresent(mark -> begun.put(mark.getKey(), mark.getValue()));
        }
        for (String id : begun.values()) {
            if (!isCompleted(id)) {
                LOG.warn("command history {}: command {} was begun and never completed; it will not run again", file, id);
                remember(new HistoryEntry(id, null));
            }
        }
        if (!begun.isEmpty()) {
            begunSequence = begun.lastKey();
        }
        if (created || !begun.isEmpty() || begunChannel.size() != size) {
            begunChannel.truncate(0);
            begunChannel.write(ByteBuffer.allocate((int) size), 0);
            begunChannel.force(true);
            if (created) {
                forceDirectory(dataDir);
            }
        }
    }

    private boolean isCompleted(String id) {
        for (HistoryEntry e : snapshot()) {
            if (e.id().equals(id)) {
                return e.ack() != null;
            }
        }
        return false;
    }

    /** A slot's (sequence, id) if it holds a whole mark. */
    private static Optional<java.util.Map.Entry<Long, String>> readSlot(ByteBuffer all, int at) {
        if (all.getInt(at) != MAGIC) {
            return Optional.empty();
        }
        int length = all.getShort(at + 12);
        if (length <= 0 || length > MAX_ID_BYTES) {
            return Optional.empty();
        }
        CRC32 crc = new CRC32();
        crc.update(all.duplicate().position(at).limit(at + SLOT_BYTES - 4));
        if ((int) crc.getValue() != all.getInt(at + SLOT_BYTES - 4)) {
            return Optional.empty();
        }
        byte[] id = new byte[length];
        all.get(at + HEADER_BYTES, id);
        return Optional.of(java.util.Map.entry(all.getLong(at + 4), new String(id, StandardCharsets.UTF_8)));
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // not every platform opens a directory; the slot file's creation is then as durable as the platform makes it
            LOG.debug("could not force directory {}: {}", dir, e.toString());
        }
    }

    /**
     * Marks the id begun, durably, before anything moves: a slot overwritten in place and forced (see the class
     * comment). Should no slot be free, or the id not fit one, the mark is a forced line as before.
     */
    @Override
    public synchronized void begin(String commandId) {
        byte[] id = commandId.getBytes(StandardCharsets.UTF_8);
        int slot = freeSlot();
        if (slot < 0 || id.length > MAX_ID_BYTES) {
            super.begin(commandId);
            return;
        }
        ByteBuffer mark = ByteBuffer.allocate(SLOT_BYTES);
        mark.putInt(MAGIC).putLong(++begunSequence).putShort((short) id.length).put(id);
        CRC32 crc = new CRC32();
        crc.update(mark.array(), 0, SLOT_BYTES - 4);
        mark.putInt(SLOT_BYTES - 4, (int) crc.getValue());
        mark.clear();
        try {
            while (mark.hasRemaining()) {
                begunChannel.write(mark, (long) slot * SLOT_BYTES + mark.position());
            }
            begunChannel.force(false);
        } catch (IOException e) {
            throw new AgentException("cannot write command history " + begunFile + ": " + e.getMessage(), e);
        }
        slotIds[slot] = commandId;
        nextSlot = (slot + 1) % slotIds.length;
        super.remember(new HistoryEntry(commandId, null));
    }

    private int freeSlot() {
        for (int i = 0; i < slotIds.length; i++) {
            int slot = (nextSlot + i) % slotIds.length;
            if (slotIds[slot] == null) {
                return slot;
            }
        }
        return -1;
    }

    @Override
    protected synchronized void remember(HistoryEntry entry) {
        append(entry);
        super.remember(entry);
        if (entry.ack() != null) {
            // completed in the lines (forced): its begun slot may be reused
            for (int i = 0; i < slotIds.length; i++) {
                if (entry.id().equals(slotIds[i])) {
                    slotIds[i] = null;
                }
            }
        }
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
            if (begunChannel != null && begunChannel.isOpen()) {
                begunChannel.close();
            }
        } catch (IOException e) {
            LOG.warn("closing command history {}: {}", file, e.getMessage());
        }
    }
}
