package io.latchkey.hal.gnss.serial;

import io.latchkey.hal.gnss.nmea.NmeaGnss;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds hal's {@link NmeaGnss} from a serial receiver on a daemon thread: opens the port, reads lines
 * until the stream ends or fails (a USB receiver unplugged), then reopens after a pause that doubles
 * up to {@code maxBackoff}. The port is behind {@link PortOpener} so that the loop is tested without
 * a device; {@link JSerialCommPort} opens a real one.
 */
public final class SerialNmeaReader implements AutoCloseable {
    /** Opens the receiver's byte stream; closing the stream releases the port. */
    @FunctionalInterface
    public interface PortOpener {
        InputStream open() throws IOException;
    }

    /** Waits between attempts; injected so that tests need not sleep. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration d) throws InterruptedException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(SerialNmeaReader.class);

    private final String portName;
    private final PortOpener opener;
    private final NmeaGnss gnss;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final Pause pause;
    private volatile boolean closed;
    private volatile InputStream current;
    private Thread thread;
    private long opens;

    public SerialNmeaReader(String portName, PortOpener opener, NmeaGnss gnss, Duration minBackoff, Duration maxBackoff,
                            Pause pause) {
        this.portName = Objects.requireNonNull(portName, "portName");
        this.opener = Objects.requireNonNull(opener, "opener");
        this.gnss = Objects.requireNonNull(gnss, "gnss");
        this.minBackoff = Objects.requireNonNull(minBackoff, "minBackoff");
        this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
        this.pause = Objects.requireNonNull(pause, "pause");
    }

    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        thread = new Thread(this::run, "nmea-serial " + portName);
        thread.setDaemon(true);
        thread.start();
    }

    /** One open-read cycle; public for tests. Returns normally when the stream ends. */
    public void readOnce() throws IOException {
        try (InputStream in = opener.open()) {
            current = in;
            synchronized (this) {
                opens++;
            }
            gnss.readFrom(in);
        } finally {
            current = null;
        }
    }

    private void run() {
        Duration wait = minBackoff;
        while (!closed) {
            try {
                readOnce();
                wait = minBackoff;
                LOG.warn("GNSS {}: stream ended, reopening", portName);
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warn("GNSS {}: {}; retrying in {} ms", portName, e.toString(), wait.toMillis());
            }
            try {
                pause.pause(wait);
            } catch (InterruptedException e) {
                return;
            }
            wait = wait.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : wait.multipliedBy(2);
        }
    }

    public synchronized long opens() {
        return opens;
    }

    @Override
    public void close() {
        closed = true;
        InputStream in = current;
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                LOG.debug("GNSS {}: close: {}", portName, e.toString());
            }
        }
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.interrupt();
        }
    }
}
