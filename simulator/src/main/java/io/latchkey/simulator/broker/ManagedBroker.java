package io.latchkey.simulator.broker;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A HiveMQ CE broker that the simulator owns, so that it can restart it: the backend under test runs
 * against it as an external broker ({@code latchkey.mqtt.embedded=false}, {@code latchkey.mqtt.url}).
 * It listens on a fixed loopback port across restarts and keeps sessions in files (or in memory), as a
 * production broker would.
 */
public final class ManagedBroker implements BrokerControl, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ManagedBroker.class);

    private final Path home;
    private final int port;
    private final boolean filePersistence;
    private EmbeddedHiveMQ hivemq;

    /**
     * @param port            0 for a free port (kept across restarts)
     * @param filePersistence sessions and queued messages survive a restart (as in production)
     */
    public ManagedBroker(Path home, int port, boolean filePersistence) {
        this.home = home;
        this.port = port == 0 ? freePort() : port;
        this.filePersistence = filePersistence;
        start();
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public synchronized boolean isRunning() {
        return hivemq != null;
    }

    @Override
    public synchronized void start() {
        if (hivemq != null) {
            return;
        }
        try {
            Path conf = Files.createDirectories(home.resolve("conf"));
            Files.writeString(conf.resolve("config.xml"), """
                    <?xml version="1.0"?>
                    <hivemq>
                      <listeners><tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener></listeners>
                      <persistence><mode>%s</mode></persistence>
                      <mqtt><queued-messages><max-queue-size>10000</max-queue-size></queued-messages></mqtt>
                      <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                    </hivemq>
                    """.formatted(port, filePersistence ? "file" : "in-memory"));
            EmbeddedHiveMQ broker = EmbeddedHiveMQ.builder().withConfigurationFolder(conf)
                    .withDataFolder(Files.createDirectories(home.resolve("data")))
                    .withExtensionsFolder(Files.createDirectories(home.resolve("extensions")))
                    .withoutLoggingBootstrap().build();
            broker.start().get(60, TimeUnit.SECONDS);
            hivemq = broker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the broker under " + home, e);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("broker did not start on port " + port + ": " + e, e);
        }
        LOG.info("broker listening on {}", url());
    }

    /** Stops the broker: every client's connection drops. */
    @Override
    public synchronized void stop() {
        if (hivemq == null) {
            return;
        }
        try {
            hivemq.stop().get(60, TimeUnit.SECONDS);
            hivemq.close();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn("broker did not stop cleanly: {}", e.toString());
        } finally {
            hivemq = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static int freePort() {
        return io.latchkey.protocol.net.FreePorts.pick();
    }
}
