package io.latchkey.hal.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.hal.key.KeyFrames.MalformedFrameException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyFramesTest {
    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aMessage_splitIntoSmallWrites_isReassembledWhole() {
        byte[] message = text("{\"t\":\"hello\",\"x\":\"" + "a".repeat(500) + "\"}");
        KeyFrames.Decoder decoder = new KeyFrames.Decoder();
        List<byte[]> out = new ArrayList<>();
        for (byte[] chunk : KeyFrames.chunks(KeyFrames.encode(message), 20)) {
            out.addAll(decoder.feed(chunk));
        }
        assertThat(out).hasSize(1);
        assertThat(out.get(0)).isEqualTo(message);
        assertThat(decoder.midFrame()).isFalse();
    }

    @Test
    void twoMessagesInOneWrite_areBothDelivered_andTheHeaderIsBigEndian() {
        byte[] a = KeyFrames.encode(new byte[300]);
        assertThat(a[0]).isEqualTo((byte) 1);
        assertThat(a[1]).isEqualTo((byte) 44);
        byte[] b = KeyFrames.encode(text("x"));
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        List<byte[]> out = new KeyFrames.Decoder().feed(both);
        assertThat(out).hasSize(2);
        assertThat(out.get(1)).isEqualTo(text("x"));
    }

    @Test
    void anOversizedOrEmptyFrame_isRefused_andTheDecoderStaysBroken() {
        KeyFrames.Decoder decoder = new KeyFrames.Decoder();
        assertThatThrownBy(() -> decoder.feed(new byte[] {0x10, 0x01, 1, 2})).isInstanceOf(MalformedFrameException.class)
                .hasMessageContaining("4097");
        assertThatThrownBy(() -> decoder.feed(KeyFrames.encode(text("ok")))).isInstanceOf(MalformedFrameException.class);
        assertThatThrownBy(() -> new KeyFrames.Decoder().feed(new byte[] {0, 0})).isInstanceOf(MalformedFrameException.class);
        assertThatThrownBy(() -> KeyFrames.encode(new byte[KeyFrames.MAX_MESSAGE + 1])).isInstanceOf(MalformedFrameException.class);
        assertThat(KeyFrames.encode(new byte[KeyFrames.MAX_MESSAGE])).hasSize(KeyFrames.MAX_MESSAGE + 2);
    }

    @Test
    void aTruncatedFrame_deliversNothing_andIsSeenMidFrame() {
        KeyFrames.Decoder decoder = new KeyFrames.Decoder();
        byte[] frame = KeyFrames.encode(text("{\"t\":\"hello\"}"));
        assertThat(decoder.feed(java.util.Arrays.copyOf(frame, frame.length - 3))).isEmpty();
        assertThat(decoder.midFrame()).isTrue();
    }

    @Test
    void randomGarbage_neverCrashes_andNeverYieldsMoreThanItHolds() {
        Random random = new Random(42);
        for (int run = 0; run < 2_000; run++) {
            KeyFrames.Decoder decoder = new KeyFrames.Decoder();
            byte[] garbage = new byte[random.nextInt(64)];
            random.nextBytes(garbage);
            try {
                for (byte[] m : decoder.feed(garbage)) {
                    assertThat(m.length).isBetween(1, garbage.length - 2);
                }
            } catch (MalformedFrameException expected) {
                // refused, as it should be
            }
        }
    }

    @Test
    void theSimulatedLink_closesTheConnectionOnAMalformedFrame_andCarriesMessagesBothWays() {
        SimulatedBleKeyLink link = new SimulatedBleKeyLink();
        List<String> received = new ArrayList<>();
        boolean[] closed = {false};
        link.advertise("LKabcdef01", connection -> new BleKeyLink.Session() {
            @Override
            public void message(byte[] message) {
                received.add(new String(message, StandardCharsets.UTF_8));
                connection.send(text("echo"));
            }

            @Override
            public void closed() {
                closed[0] = true;
            }
        });
        assertThat(link.advertisedName()).isEqualTo("LKabcdef01");
        SimulatedBleKeyLink.Phone phone = link.connect();
        phone.send(text("hi"), 1);
        assertThat(received).containsExactly("hi");
        assertThat(phone.receive(Duration.ofSeconds(1))).isEqualTo(text("echo"));
        phone.write(new byte[] {(byte) 0xff, (byte) 0xff});
        assertThat(phone.isConnected()).isFalse();
        assertThat(closed[0]).isTrue();
        assertThat(received).containsExactly("hi");
    }
}
