package io.latchkey.protocol.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A free TCP port for a listener that is bound later (by another library or process), chosen below the kernel's
 * ephemeral range.
 *
 * <p>A port the kernel hands out for {@code bind(0)} comes from the ephemeral range, the same one it draws the local
 * port of every outgoing connection from: once such a port is released to be bound again by a broker a moment later,
 * a connection made meanwhile may take it, and the broker (HiveMQ logs "Could not start ... Listener" and runs on
 * without it) serves nothing there. Seen in CI, where an app's MQTT listener was taken this way and its backend
 * client timed out. Ports below the range are never handed out implicitly, so only a process that binds that very
 * port explicitly can race for it.
 */
public final class FreePorts {
    private static final Path RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** The lowest port chosen from; the window below the ephemeral range it may use. */
    private static final int LOWEST = 10_000;
    private static final int WINDOW = 12_000;
    private static final int ATTEMPTS = 64;

    private FreePorts() {
    }

    /** A port free on {@code host} now, below the ephemeral range where the system has room for one, else any. */
    public static int pick(InetAddress host) {
        int ephemeralLow = ephemeralLow();
        int low = Math.max(LOWEST, ephemeralLow - WINDOW);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; low < ephemeralLow && i < ATTEMPTS; i++) {
            int port = random.nextInt(low, ephemeralLow);
            if (bindable(host, port)) {
                return port;
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, host)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + host, e);
        }
    }

    /** A port free on the loopback address now ({@link #pick(InetAddress)}). */
    public static int pick() {
        return pick(InetAddress.getLoopbackAddress());
    }

    private static boolean bindable(InetAddress host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first port of the kernel's ephemeral range (Linux), or the IANA one where it cannot be read. */
    static int ephemeralLow() {
        // read as a line: Files.readAllBytes on this procfs file returns only its first byte (JDK 17, seen here)
        try (java.io.BufferedReader reader = Files.newBufferedReader(RANGE)) {
            String line = reader.readLine();
            return Integer.parseInt(line.trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 49_152;
        }
    }
}
