package io.latchkey.agent.key;

import io.latchkey.agent.AgentException;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.key.TenantSigned;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the car keeps of offline keys across restarts (docs/offline-keys.md §3, §4, §6, §7), in
 * {@code data.dir/keys/state.json}: the challenge counter (the ceiling of the block reserved), the last QR counter accepted per key (with the key's
 * {@code notAfter}, after which the entry is dropped), the newest revocation list verified, and the time's lower
 * bound. Each change is written to a new file, forced to disk and moved into place, so a power cut leaves the old
 * state or the new, never half of one. A file that cannot be read is kept aside as {@code state.json.damaged} and
 * the car starts afresh: its counters then rely on the epoch (BLE) and the ±30 s window (QR), and its time is
 * UNKNOWN until a trusted source is seen — it fails closed.
 *
 * <p>A QR counter is on the path from the scan to the relay, so it is not written by rewriting the file: it is one
 * 64-byte record in {@code qr-counters.log}, a file allocated once at its full size, at the next free slot, forced
 * with {@code fdatasync} (the file's size and metadata never change, so only that block goes to disk: about a third
 * of the rewrite's cost). When the log is full its contents are folded into {@code state.json} and it starts over;
 * at start-up it is read after {@code state.json} (the highest counter per key wins, so a crash in the middle of
 * folding loses nothing). A record torn by a power cut does not parse and is skipped: the car had not acted on it.
 * Thread-safe.
 */
public final class KeyStateFile {
    /** The file's folder under the data dir. */
    public static final String DIR = "keys";
    static final int MAX_QR_KEYS = 10_000;
    static final int RECORD = 64;
    static final int COUNTER_BLOCK = 64;
    static final int LOG_SLOTS = 1024;
    private static final Logger LOG = LoggerFactory.getLogger(KeyStateFile.class);

    /** The file's contents. */
    record State(long counter, Instant lowerBound, Map<String, QrCounter> qrCounters, TenantSigned revocations) {
    }

    record QrCounter(long counter, Instant notAfter) {
    }

    private final Path file;
    private final Path log;
    private FileChannel logChannel;
    private int nextSlot;
    private long counter;
    /** The ceiling of the counters reserved on disk. */
    private long reserved;
    private Instant lowerBound;
    private final Map<String, QrCounter> qr = new LinkedHashMap<>();
    private TenantSigned revocations;

    private KeyStateFile(Path file) {
        this.file = file;
        this.log = file.resolveSibling("qr-counters.log");
    }

    /** Opens (or starts) the state under {@code dataDir}. @throws AgentException if the folder cannot be made */
    public static KeyStateFile open(Path dataDir) {
        Path dir = dataDir.resolve(DIR);
        KeyStateFile s = new KeyStateFile(dir.resolve("state.json"));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new AgentException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        s.load();
        s.replayLog();
        return s;
    }

    /** Reads the QR counters logged since {@code state.json} was written (or lays out an empty log). */
    private void replayLog() {
        try {
            if (Files.exists(log) && Files.size(log) == (long) RECORD * LOG_SLOTS) {
                byte[] all = Files.readAllBytes(log);
                for (int slot = 0; slot < LOG_SLOTS; slot++) {
                    String rec = new String(all, slot * RECORD, RECORD, StandardCharsets.US_ASCII);
                    if (rec.charAt(0) == 0) {
                        break;
                    }
                    nextSlot = slot + 1;
                    String[] f = rec.trim().split(" +");
                    try {
                        long logged = Long.parseLong(f[1]);
                        if (f.length == 3 && logged > lastQrCounter(f[0])) {
                            qr.put(f[0], new QrCounter(logged, Instant.ofEpochSecond(Long.parseLong(f[2]))));
                        }
                    } catch (RuntimeException torn) {
                        LOG.warn("offline keys: QR counter record {} unreadable (torn by a power cut?); skipped", slot);
                    }
                }
            } else {
                freshLog();
            }
            // opened at the first QR use: most cars never see one, and a fleet of simulated cars counts its files
        } catch (IOException e) {
            throw new AgentException("offline keys: cannot open " + log + ": " + e.getMessage(), e);
        }
    }

    /** An empty log at its full size, forced, put in place atomically. */
    private void freshLog() throws IOException {
        Path tmp = log.resolveSibling("qr-counters.log.tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.allocate(RECORD * LOG_SLOTS));
            ch.force(true);
        }
        Files.move(tmp, log, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        nextSlot = 0;
    }

    private void load() {
        if (!Files.exists(file)) {
            return;
        }
        try {
            State st = Json.read(Files.readAllBytes(file), State.class);
            counter = st.counter();
            reserved = st.counter();
            lowerBound = st.lowerBound();
            if (st.qrCounters() != null) {
                qr.putAll(st.qrCounters());
            }
            revocations = st.revocations();
        } catch (IOException | RuntimeException e) {
            LOG.error("offline keys: {} cannot be read ({}); kept aside, starting afresh with the time UNKNOWN", file, e.toString());
            try {
                Files.move(file, file.resolveSibling("state.json.damaged"), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                LOG.warn("offline keys: cannot keep {} aside: {}", file, moveFailed.toString());
            }
        }
    }

    /**
     * The next challenge counter. Counters are reserved in blocks of {@link #COUNTER_BLOCK}: the file holds the
     * block's ceiling, written before the block's first counter is handed out, so a counter never repeats across
     * restarts (a restart skips the rest of its block) while a hello costs a disk write only once per block.
     */
    public synchronized long nextCounter() {
        if (counter >= reserved) {
            reserved = counter + COUNTER_BLOCK;
            write();
        }
        counter++;
        return counter;
    }

    /** The highest QR counter accepted for {@code keyId}, 0 if none. */
    public synchronized long lastQrCounter(String keyId) {
        QrCounter c = qr.get(keyId);
        return c == null ? 0 : c.counter();
    }

    /**
     * Records {@code counter} as used for {@code keyId}, durably, before the car acts on it; drops the entries of keys
     * that expired before {@code now} (null: keep them).
     */
    public synchronized void acceptQrCounter(String keyId, long counter, Instant notAfter, Instant now) {
        if (now != null) {
            qr.values().removeIf(c -> c.notAfter().isBefore(now));
        }
        qr.remove(keyId);
        qr.put(keyId, new QrCounter(counter, notAfter));
        while (qr.size() > MAX_QR_KEYS) {
            qr.remove(qr.keySet().iterator().next());
        }
        try {
            if (logChannel == null) {
                logChannel = FileChannel.open(log, StandardOpenOption.WRITE);
            }
            if (nextSlot == LOG_SLOTS) {
                write(); // fold the log into the state file, forced, before the log starts over
                logChannel.close();
                freshLog();
                logChannel = FileChannel.open(log, StandardOpenOption.WRITE);
            }
            String rec = String.format(java.util.Locale.ROOT, "%-20s %19d %19d", keyId, counter, notAfter.getEpochSecond());
            byte[] bytes = java.util.Arrays.copyOf(rec.getBytes(StandardCharsets.US_ASCII), RECORD);
            java.util.Arrays.fill(bytes, rec.length(), RECORD - 1, (byte) ' ');
            bytes[RECORD - 1] = '\n';
            logChannel.write(java.nio.ByteBuffer.wrap(bytes), (long) nextSlot * RECORD);
            logChannel.force(false);
            nextSlot++;
        } catch (IOException e) {
            throw new AgentException("offline keys: cannot log a QR counter in " + log + ": " + e.getMessage(), e);
        }
    }

    /** Closes the QR counter log (the agent stops). */
    public synchronized void close() {
        try {
            if (logChannel != null) {
                logChannel.close();
            }
        } catch (IOException e) {
            LOG.debug("offline keys: closing {}: {}", log, e.toString());
        }
    }

    /** The newest revocation list verified, or null. */
    public synchronized TenantSigned revocations() {
        return revocations;
    }

    public synchronized void revocations(TenantSigned list) {
        this.revocations = list;
        write();
    }

    /** The lower bound persisted at the last run (or this one), or null. */
    public synchronized Instant lowerBound() {
        return lowerBound;
    }

    /** Persists {@code bound} if it is later than the one kept. */
    public synchronized void lowerBound(Instant bound) {
        if (bound != null && (lowerBound == null || bound.isAfter(lowerBound))) {
            lowerBound = bound;
            write(false); // a bound lost to a power cut is the minute before's: not worth an fsync a minute per car
        }
    }

    private void write() {
        write(true);
    }

    private void write(boolean force) {
        byte[] json = Json.write(new State(reserved, lowerBound, new LinkedHashMap<>(qr), revocations));
        Path tmp = file.resolveSibling("state.json.tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(json));
            if (force) {
                ch.force(true);
            }
        } catch (IOException e) {
            throw new AgentException("offline keys: cannot write " + tmp + ": " + e.getMessage(), e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new AgentException("offline keys: cannot replace " + file + ": " + e.getMessage(), e);
        }
    }
}
