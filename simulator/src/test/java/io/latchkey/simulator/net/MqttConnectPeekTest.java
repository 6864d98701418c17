package io.latchkey.simulator.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class MqttConnectPeekTest {
    /** MQTT 5 CONNECT, client id "acme:dev-1", with a 3-byte property block (session expiry is 5 bytes; any bytes do). */
    private static byte[] connect5() {
        byte[] id = "acme:dev-1".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(64);
        body.putShort((short) 4).put("MQTT".getBytes()).put((byte) 5).put((byte) 0x02).putShort((short) 60);
        body.put((byte) 3).put(new byte[] {0x21, 0x00, 0x0A});
        body.putShort((short) id.length).put(id);
        body.flip();
        ByteBuffer packet = ByteBuffer.allocate(2 + body.remaining());
        packet.put((byte) 0x10).put((byte) body.remaining()).put(body);
        return packet.array();
    }

    @Test
    void clientId_isReadFromACompleteConnect_andNullUntilThen() throws Exception {
        byte[] packet = connect5();
        ByteBuffer partial = ByteBuffer.allocate(128).put(packet, 0, packet.length - 3);
        assertThat(MqttConnectPeek.clientId(partial)).isNull();

        ByteBuffer whole = ByteBuffer.allocate(128).put(packet);
        assertThat(MqttConnectPeek.clientId(whole)).isEqualTo("acme:dev-1");
        assertThat(whole.position()).as("nothing consumed").isEqualTo(packet.length);
    }

    @Test
    void anythingButConnect_isRefused() {
        ByteBuffer publish = ByteBuffer.allocate(16).put(new byte[] {0x30, 0x02, 0x00, 0x00});

        assertThatThrownBy(() -> MqttConnectPeek.clientId(publish)).isInstanceOf(MqttConnectPeek.NotConnect.class);
    }
}
