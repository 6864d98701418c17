package io.latchkey.simulator.net;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads the client identifier out of the first packet a client sends (MQTT 3.1.1 or 5 CONNECT), so that
 * the relay knows which car a connection belongs to without the car telling it anything else.
 */
final class MqttConnectPeek {
    /** Thrown when the first packet is not a well-formed CONNECT. */
    static final class NotConnect extends Exception {
        NotConnect(String message) {
            super(message);
        }
    }

    private MqttConnectPeek() {
    }

    /**
     * @param data bytes received so far, from position 0 to limit; not consumed
     * @return the client id, or null if more bytes are needed
     */
    static String clientId(ByteBuffer data) throws NotConnect {
        ByteBuffer b = data.duplicate();
        b.flip();
        if (b.remaining() < 2) {
            return null;
        }
        if ((b.get() & 0xF0) != 0x10) {
            throw new NotConnect("first packet is not CONNECT");
        }
        Integer remaining = varInt(b);
        if (remaining == null) {
            return null;
        }
        if (b.remaining() < remaining) {
            return null;
        }
        int protocolNameLength = u16(b);
        skip(b, protocolNameLength);
        int version = b.get() & 0xFF;
        skip(b, 1 + 2); // connect flags, keep alive
        if (version == 5) {
            Integer properties = varInt(b);
            if (properties == null) {
                throw new NotConnect("truncated CONNECT properties");
            }
            skip(b, properties);
        }
        int idLength = u16(b);
        if (b.remaining() < idLength) {
            throw new NotConnect("truncated client id");
        }
        byte[] id = new byte[idLength];
        b.get(id);
        return new String(id, StandardCharsets.UTF_8);
    }

    private static Integer varInt(ByteBuffer b) throws NotConnect {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            if (!b.hasRemaining()) {
                return null;
            }
            int digit = b.get() & 0xFF;
            value |= (digit & 0x7F) << (7 * i);
            if ((digit & 0x80) == 0) {
                return value;
            }
        }
        throw new NotConnect("malformed remaining length");
    }

    private static int u16(ByteBuffer b) throws NotConnect {
        if (b.remaining() < 2) {
            throw new NotConnect("truncated CONNECT");
        }
        return b.getShort() & 0xFFFF;
    }

    private static void skip(ByteBuffer b, int n) throws NotConnect {
        if (n < 0 || b.remaining() < n) {
            throw new NotConnect("truncated CONNECT");
        }
        b.position(b.position() + n);
    }
}
