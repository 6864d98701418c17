package io.latchkey.hal.gnss.gpsd;

import io.latchkey.hal.Registration;

import io.latchkey.hal.gnss.Gnss;
import io.latchkey.hal.gnss.GnssFix;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Positions from a gpsd daemon over its JSON protocol (TCP, normally {@code localhost:2947}). After
 * {@link #start()} a daemon thread connects, sends {@code ?WATCH={"enable":true,"json":true}} and turns
 * every TPV report into a {@link GnssFix}. When gpsd goes away the thread reconnects, waiting twice as
 * long after each failure up to {@code maxBackoff}; the latest fix stays available meanwhile.
 */
public final class GpsdGnss implements Gnss, AutoCloseable {
    public static final int DEFAULT_PORT = 2947;
    static final String WATCH = "?WATCH={\"enable\":true,\"json\":true}\n";
    private static final Logger LOG = LoggerFactory.getLogger(GpsdGnss.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final InetSocketAddress address;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final AtomicReference<GnssFix> latest = new AtomicReference<>();
    private final List<Consumer<GnssFix>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong badLines = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private volatile boolean closed;
    private volatile Socket socket;
    private Thread thread;

    /** gpsd on this host's default port, retrying after 1 s up to 30 s. */
    public GpsdGnss() {
        this(new InetSocketAddress("localhost", DEFAULT_PORT), Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    public GpsdGnss(InetSocketAddress address, Duration minBackoff, Duration maxBackoff) {
        this.address = Objects.requireNonNull(address, "address");
        this.minBackoff = Objects.requireNonNull(minBackoff, "minBackoff");
        this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (minBackoff.isNegative() || maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("backoff must satisfy 0 <= min <= max");
        }
    }

    /** Starts the client thread. Connection problems are retried, never thrown. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        thread = new Thread(this::run, "gpsd-client " + address);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public Optional<GnssFix> latest() {
        return Optional.ofNullable(latest.get());
    }

    @Override
    public Registration addListener(Consumer<GnssFix> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Lines gpsd sent that could not be read. */
    public long badLines() {
        return badLines.get();
    }

    /** Successful connections so far, reconnections included. */
    public long connections() {
        return connections.get();
    }

    @Override
    public void close() {
        closed = true;
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.debug("closing gpsd socket", e);
            }
        }
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    private void run() {
        Duration backoff = minBackoff;
        while (!closed) {
            try (Socket s = new Socket()) {
                socket = s;
                s.connect(address, (int) CONNECT_TIMEOUT.toMillis());
                connections.incrementAndGet();
                backoff = minBackoff;
                session(s);
            } catch (IOException e) {
                if (!closed) {
                    LOG.info("gpsd at {} unavailable ({}); retrying in {} ms", address, e.getMessage(), backoff.toMillis());
                }
            }
            if (!closed && !sleep(backoff)) {
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
        }
    }

    private void session(Socket s) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(WATCH.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while (!closed && (line = in.readLine()) != null) {
            accept(line);
        }
    }

    /** One line of gpsd output; package-visible so that the protocol handling is tested without sockets. */
    void accept(String line) {
        if (line.isBlank()) {
            return;
        }
        try {
            GpsdTpv.parse(line).ifPresent(this::publish);
        } catch (GpsdProtocolException e) {
            badLines.incrementAndGet();
            LOG.debug("unreadable gpsd line: {}", e.getMessage());
        }
    }

    private void publish(GnssFix fix) {
        latest.set(fix);
        for (Consumer<GnssFix> l : listeners) {
            try {
                l.accept(fix);
            } catch (RuntimeException e) {
                LOG.warn("GNSS listener failed", e);
            }
        }
    }

    private static boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
