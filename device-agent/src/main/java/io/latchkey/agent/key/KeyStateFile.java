package io.latchkey.agent.key;

import io.latchkey.agent.AgentException;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.key.TenantSigned;
import java.io.IOException;
import java.nio.channels.FileChannel;
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
 * {@code data.dir/keys/state.json}: the challenge counter, the last QR counter accepted per key (with the key's
 * {@code notAfter}, after which the entry is dropped), the newest revocation list verified, and the time's lower
 * bound. Each change is written to a new file, forced to disk and moved into place, so a power cut leaves the old
 * state or the new, never half of one. A file that cannot be read is kept aside as {@code state.json.damaged} and
 * the car starts afresh: its counters then rely on the epoch (BLE) and the ±30 s window (QR), and its time is
 * UNKNOWN until a trusted source is seen — it fails closed. Thread-safe.
 */
public final class KeyStateFile {
    /** The file's folder under the data dir. */
    public static final String DIR = "keys";
    static final int MAX_QR_KEYS = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(KeyStateFile.class);

    /** The file's contents. */
    record State(long counter, Instant lowerBound, Map<String, QrCounter> qrCounters, TenantSigned revocations) {
    }

    record QrCounter(long counter, Instant notAfter) {
    }

    private final Path file;
    private long counter;
    private Instant lowerBound;
    private final Map<String, QrCounter> qr = new LinkedHashMap<>();
    private TenantSigned revocations;

    private KeyStateFile(Path file) {
        this.file = file;
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
        return s;
    }

    private void load() {
        if (!Files.exists(file)) {
            return;
        }
        try {
            State st = Json.read(Files.readAllBytes(file), State.class);
            counter = st.counter();
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

    /** The next challenge counter, persisted before it is returned. */
    public synchronized long nextCounter() {
        counter++;
        write();
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
        write();
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
        byte[] json = Json.write(new State(counter, lowerBound, new LinkedHashMap<>(qr), revocations));
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
