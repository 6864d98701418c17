package io.latchkey.cloud.mqtt;

import com.hivemq.embedded.EmbeddedHiveMQ;
import io.latchkey.cloud.LatchkeyConfig;
import io.latchkey.cloud.StartupChecks;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HiveMQ CE inside this process (the embedded default). Its configuration is generated under
 * {@code {data-dir}/broker/conf} at every start: one TCP listener on {@code latchkey.mqtt.host}:
 * {@code latchkey.mqtt.port} (a free port when 0), anonymous usage statistics off.
 */
@Context
@Requires(property = "latchkey.mqtt.embedded", notEquals = "false")
public class EmbeddedBroker implements MqttEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    private final EmbeddedHiveMQ hivemq;
    private final String url;

    /** {@code checks}: the configuration is checked before a broker starts on it. */
    public EmbeddedBroker(MqttConfig config, LatchkeyConfig latchkey, StartupChecks checks) {
        Path home = latchkey.dataDirPath().resolve("broker");
        int port = config.port() == 0 ? freePort(config.host()) : config.port();
        try {
            Path conf = Files.createDirectories(home.resolve("conf"));
            Files.createDirectories(home.resolve("data"));
            Files.createDirectories(home.resolve("extensions"));
            Files.writeString(conf.resolve("config.xml"), configXml(config.host(), port, config.persistence()));
            hivemq = EmbeddedHiveMQ.builder()
                    .withConfigurationFolder(conf)
                    .withDataFolder(home.resolve("data"))
                    .withExtensionsFolder(home.resolve("extensions"))
                    .withoutLoggingBootstrap()
                    .build();
            hivemq.start().get(60, TimeUnit.SECONDS);
        } catch (IOException | ExecutionException | TimeoutException e) {
            throw new MqttException("cannot start the embedded MQTT broker on " + config.host() + ":" + port
                    + " (is latchkey.mqtt.port free?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MqttException("interrupted while starting the embedded MQTT broker", e);
        }
        this.url = "tcp://" + config.host() + ":" + port;
        LOG.info("Embedded MQTT broker listening on {}", url);
    }

    @Override
    public String url() {
        return url;
    }

    @PreDestroy
    void stop() {
        try {
            hivemq.stop().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("embedded MQTT broker did not stop cleanly", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String configXml(String host, int port, String persistence) {
        return """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>%s</bind-address>
                        </tcp-listener>
                    </listeners>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                    <persistence>
                        <mode>%s</mode>
                    </persistence>
                </hivemq>
                """.formatted(port, escape(host), persistence);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new MqttException("cannot find a free port on " + host, e);
        }
    }
}
