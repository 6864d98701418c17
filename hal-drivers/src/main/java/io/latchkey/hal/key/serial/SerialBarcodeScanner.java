package io.latchkey.hal.key.serial;

import io.latchkey.hal.Registration;
import io.latchkey.hal.key.BarcodeScanner;
import io.latchkey.hal.serial.SerialPorts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A windscreen QR scanner on a serial line (USB CDC-ACM {@code /dev/ttyACM0} or a UART): such scanners send each code
 * they read as one line, ended by CR, LF or both. Lines are read on a thread of their own and handed to the listeners;
 * a line longer than {@link #MAX_LINE} bytes is dropped whole (up to its end), an empty one ignored. When the port
 * goes away (unplugged) it is reopened with a backoff, as the serial GNSS reader does.
 */
public final class SerialBarcodeScanner implements BarcodeScanner {
    /** A key code is about 2 KB; anything much longer is not one. */
    public static final int MAX_LINE = 8192;

    /** Opens the scanner's byte stream; closing the stream releases the port. */
    @FunctionalInterface
    public interface PortOpener {
        InputStream open() throws IOException;
    }

    /** Waits between attempts; injected so that tests need not sleep. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration d) throws InterruptedException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(SerialBarcodeScanner.class);

    private final String portName;
    private final PortOpener opener;
    private final Pause pause;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean closed;
    private volatile InputStream current;
    private Thread thread;
    private long dropped;

    public SerialBarcodeScanner(String portName, PortOpener opener, Pause pause) {
        this.portName = Objects.requireNonNull(portName, "portName");
        this.opener = Objects.requireNonNull(opener, "opener");
        this.pause = Objects.requireNonNull(pause, "pause");
    }

    /** The scanner on {@code portName} at {@code baud} (8N1), opened with jSerialComm. */
    public static SerialBarcodeScanner onPort(String portName, int baud) {
        return new SerialBarcodeScanner(portName, () -> SerialPorts.open(portName, baud, 0), d -> Thread.sleep(d.toMillis()));
    }

    @Override
    public Registration onScan(Consumer<String> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Starts reading on a daemon thread. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        thread = new Thread(this::run, "qr-serial " + portName);
        thread.setDaemon(true);
        thread.start();
    }

    /** One open-read cycle, until the stream ends; public for tests. */
    public void readOnce() throws IOException {
        try (InputStream in = opener.open()) {
            current = in;
            readLines(in);
        } finally {
            current = null;
        }
    }

    private void readLines(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean overlong = false;
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\r' || b == '\n') {
                if (!overlong && line.size() > 0) {
                    deliver(line.toString(StandardCharsets.UTF_8));
                }
                line.reset();
                overlong = false;
            } else if (!overlong) {
                if (line.size() >= MAX_LINE) {
                    overlong = true;
                    line.reset();
                    synchronized (this) {
                        dropped++;
                    }
                    LOG.debug("scanner {}: a line longer than {} bytes dropped", portName, MAX_LINE);
                } else {
                    line.write(b);
                }
            }
        }
    }

    private void deliver(String text) {
        for (Consumer<String> l : listeners) {
            try {
                l.accept(text);
            } catch (RuntimeException e) {
                LOG.warn("scanner {}: a listener failed: {}", portName, e.toString());
            }
        }
    }

    /** Lines dropped for being too long. */
    public synchronized long dropped() {
        return dropped;
    }

    private void run() {
        Duration wait = Duration.ofSeconds(1);
        while (!closed) {
            try {
                readOnce();
                wait = Duration.ofSeconds(1);
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warn("scanner {}: {}; retrying in {} s", portName, e.toString(), wait.toSeconds());
            }
            try {
                pause.pause(wait);
            } catch (InterruptedException e) {
                return;
            }
            wait = wait.multipliedBy(2).compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : wait.multipliedBy(2);
        }
    }

    @Override
    public void close() {
        closed = true;
        listeners.clear();
        InputStream in = current;
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                LOG.debug("scanner {}: close: {}", portName, e.toString());
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
