package io.latchkey.simulator.fleet;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A bare HiveMQ CE broker in the test JVM on a free loopback port (no backend), for fleet-level tests. */
final class EmbeddedBroker implements AutoCloseable {
    private final EmbeddedHiveMQ hivemq;
    private final int port;

    EmbeddedBroker(Path workDir) throws IOException {
        this.port = io.latchkey.protocol.net.FreePorts.pick();
        Path conf = Files.createDirectories(workDir.resolve("conf"));
        Files.writeString(conf.resolve("config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners><tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener></listeners>
                  <persistence><mode>in-memory</mode></persistence>
                  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(port));
        this.hivemq = EmbeddedHiveMQ.builder().withConfigurationFolder(conf)
                .withDataFolder(Files.createDirectories(workDir.resolve("data")))
                .withExtensionsFolder(Files.createDirectories(workDir.resolve("extensions")))
                .withoutLoggingBootstrap().build();
        hivemq.start().join();
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        hivemq.stop().join();
    }
}
