package io.latchkey.cloud.mqtt;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.cloud.it.CloudApp;
import io.latchkey.protocol.net.FreePorts;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HiveMQ starts without a listener whose port is in use and only logs it; seen in CI, the backend client then
 * timed out after 30 s against whatever held the port. The embedded broker asks its TLS port for the certificate
 * it serves and refuses to run on a port that is not its own.
 */
class EmbeddedBrokerPortIT {
    @TempDir
    Path dir;

    @Test
    void aConfiguredTlsPortInUse_failsTheStartAtOnce_sayingSo() throws Exception {
        try (ServerSocket taken = new ServerSocket(FreePorts.pick(), 1, InetAddress.getLoopbackAddress())) {
            // another service on the port: it takes the connection and closes it (no TLS)
            Thread other = new Thread(() -> {
                while (!taken.isClosed()) {
                    try {
                        taken.accept().close();
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            }, "another-service");
            other.setDaemon(true);
            other.start();
            assertThatThrownBy(() -> CloudApp.start(dir, Map.of("latchkey.mqtt.tls-port", taken.getLocalPort())).close())
                    .rootCause().isInstanceOf(MqttException.class)
                    .hasMessageContaining("TLS listener on 127.0.0.1:" + taken.getLocalPort() + " is not serving")
                    .hasMessageContaining("no TLS handshake");
        }
    }
}
