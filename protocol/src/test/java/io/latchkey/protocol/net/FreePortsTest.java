package io.latchkey.protocol.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class FreePortsTest {
    @Test
    void aPickedPort_isBelowTheEphemeralRange_andCanBeBound() throws Exception {
        int low = FreePorts.ephemeralLow();
        if (java.nio.file.Files.exists(java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            assertThat(low).as("the kernel's range read (Linux default 32768)").isGreaterThan(10_000);
        }
        for (int i = 0; i < 20; i++) {
            int port = FreePorts.pick();
            if (low > 10_000) {
                assertThat(port).isBetween(1024, low - 1);
            }
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                assertThat(s.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void aPortBoundByAnother_isNotPicked() throws Exception {
        try (ServerSocket taken = new ServerSocket(FreePorts.pick(), 1, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 200; i++) {
                assertThat(FreePorts.pick()).isNotEqualTo(taken.getLocalPort());
            }
        }
    }
}
