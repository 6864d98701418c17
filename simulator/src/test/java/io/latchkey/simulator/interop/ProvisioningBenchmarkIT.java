package io.latchkey.simulator.interop;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.latchkey.agent.Agent;
import io.latchkey.agent.config.AgentConfig;
import io.latchkey.agent.mqtt.MqttTls;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measurements for docs/benchmarks-provisioning.md, not a test: prints numbers, asserts none. Runs only with
 * {@code -Dlatchkey.bench=true}:
 * <pre>./mvnw -o -q -pl provisioning verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ProvisioningBenchmarkIT -Dlatchkey.bench=true</pre>
 * <ol>
 * <li>provision to connected: the real CLI's {@code provision} into a bundle, then the real agent booted from it
 * until its first mutual-TLS connection is accepted, per device;</li>
 * <li>TLS handshakes per second at the embedded broker's mutual-TLS listener: bare handshakes with a device
 * certificate, and full MQTT connects (handshake + CONNECT + certificate check by the extension), sequential
 * and with 4 client threads.</li>
 * </ol>
 */
class ProvisioningBenchmarkIT {
    static final int DEVICES = Integer.getInteger("latchkey.bench.devices", 10);
    static final long WINDOW_MS = Long.getLong("latchkey.bench.window-ms", 10_000);

    @TempDir
    Path temp;

    @Test
    void measure() throws Exception {
        assumeTrue(Boolean.getBoolean("latchkey.bench"), "benchmark: run with -Dlatchkey.bench=true");
        try (Backend backend = Backend.start(temp.resolve("cloud")); DeviceAgents agents = new DeviceAgents()) {
            String admin = backend.tenant("acme");
            String operator = backend.user("acme", admin, "olga@acme.test", "operator");
            backend.user("acme", admin, "ian@acme.test", "installer");
            Installer ian = new Installer(temp.resolve("ian"));
            ian.login(backend, "acme", "ian@acme.test");
            Thread.sleep(11_000); // HiveMQ re-reads the TLS trust store every 10 s: measure a tenant it already trusts
            List<Path> bundles = new ArrayList<>();
            List<long[]> timings = new ArrayList<>();
            for (int i = 0; i < DEVICES; i++) {
                String device = "dev-" + i;
                backend.car("acme", operator, "car-" + i, device);
                Path sd = Files.createDirectories(temp.resolve("sd-" + i));
                long t0 = System.nanoTime();
                ian.ok("provision", "--car", "car-" + i, "--device", device, "--bundle", sd.toString(),
                        "--data-dir", temp.resolve("data-" + i).toString());
                long t1 = System.nanoTime();
                Agent agent = agents.start(DeviceAgents.fromBundle(sd.resolve("latchkey")));
                agent.firstConnection().get(60, TimeUnit.SECONDS);
                long t2 = System.nanoTime();
                timings.add(new long[] {t1 - t0, t2 - t1});
                bundles.add(sd.resolve("latchkey"));
            }
            report("provision (CLI, key + CSR + HTTP + bundle)", timings.stream().mapToLong(t -> t[0]).sorted().toArray());
            report("agent start -> first mTLS connection", timings.stream().mapToLong(t -> t[1]).sorted().toArray());
            report("provision -> connected", timings.stream().mapToLong(t -> t[0] + t[1]).sorted().toArray());
            agents.close();

            URI broker = URI.create(backend.mqttTlsUrl());
            // Key material is loaded once per device: the loop measures handshakes, not PEM parsing.
            List<AgentConfig> configs = bundles.stream().map(DeviceAgents::fromBundle).toList();
            List<SSLContext> contexts = new ArrayList<>();
            for (AgentConfig config : configs) {
                contexts.add(sslContext(config.tls()));
            }
            for (int threads : new int[] {1, 4}) {
                System.out.printf(Locale.ROOT, "BENCH bare TLS handshakes with a device certificate, %d client thread(s): %.0f/s%n", threads,
                        rate(threads, i -> handshake(contexts.get(i % contexts.size()), broker)));
                System.out.printf(Locale.ROOT, "BENCH MQTT connects over mTLS (handshake + CONNECT + certificate check + DISCONNECT),"
                        + " %d client thread(s): %.0f/s%n", threads, rate(threads, i -> mqttConnect(configs.get(i % configs.size()), broker)));
            }
        }
    }

    interface Attempt {
        void run(int worker) throws Exception;
    }

    /** Operations per second over WINDOW_MS, each thread using its own device (its own client id). */
    static double rate(int threads, Attempt attempt) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WINDOW_MS);
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < threads; w++) {
            int worker = w;
            futures.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    attempt.run(worker);
                    done.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }

    static SSLContext sslContext(MqttTls tls) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(tls.keyManagerFactory().getKeyManagers(), tls.trustManagerFactory().getTrustManagers(), null);
        return context;
    }

    /** A full handshake each time: a new SSLContext per device, and sessions are not resumed across sockets here. */
    static void handshake(SSLContext context, URI broker) throws Exception {
        context.getClientSessionContext().setSessionCacheSize(1);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(broker.getHost(), broker.getPort()), 5000);
            socket.getSSLParameters();
            socket.startHandshake();
        }
        // drop any cached session so the next handshake is a full one (no resumption)
        var sessions = context.getClientSessionContext();
        for (var ids = sessions.getIds(); ids.hasMoreElements();) {
            var session = sessions.getSession(ids.nextElement());
            if (session != null) {
                session.invalidate();
            }
        }
    }

    static void mqttConnect(AgentConfig config, URI broker) throws Exception {
        Mqtt5AsyncClient client = Mqtt5Client.builder().identifier(config.tenant() + ":" + config.deviceId())
                .serverHost(broker.getHost()).serverPort(broker.getPort())
                .sslConfig().keyManagerFactory(config.tls().keyManagerFactory()).trustManagerFactory(config.tls().trustManagerFactory())
                .applySslConfig().buildAsync();
        client.connect().get(10, TimeUnit.SECONDS);
        client.disconnect().get(10, TimeUnit.SECONDS);
    }

    static void report(String what, long[] sortedNanos) {
        System.out.printf(Locale.ROOT, "BENCH %s over %d devices: median %.0f ms, min %.0f ms, max %.0f ms%n", what, sortedNanos.length,
                sortedNanos[sortedNanos.length / 2] / 1e6, sortedNanos[0] / 1e6, sortedNanos[sortedNanos.length - 1] / 1e6);
    }
}
