package io.latchkey.hal.key;

import io.latchkey.hal.HalException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The BLE key link's framing (docs/offline-keys.md §3): each message is its length as two bytes, big-endian,
 * then that many bytes, at most {@link #MAX_MESSAGE}. GATT writes arrive in pieces of the link's MTU, so a
 * {@link Decoder} per connection reassembles them; one message may span writes and one write may hold several.
 */
public final class KeyFrames {
    /** The largest message either side may send. */
    public static final int MAX_MESSAGE = 4096;

    private KeyFrames() {
    }

    /** A frame refused: empty, longer than {@link #MAX_MESSAGE}, or cut off when the connection closed. */
    public static final class MalformedFrameException extends HalException {
        public MalformedFrameException(String message) {
            super(message);
        }
    }

    /** The frame of one message. @throws MalformedFrameException if it is empty or too long */
    public static byte[] encode(byte[] message) {
        if (message == null || message.length == 0 || message.length > MAX_MESSAGE) {
            throw new MalformedFrameException("a message must have 1.." + MAX_MESSAGE + " bytes, got "
                    + (message == null ? "none" : message.length));
        }
        byte[] frame = new byte[message.length + 2];
        frame[0] = (byte) (message.length >>> 8);
        frame[1] = (byte) message.length;
        System.arraycopy(message, 0, frame, 2, message.length);
        return frame;
    }

    /** Splits a frame into writes of at most {@code mtu} bytes, as a phone's GATT stack sends it. */
    public static List<byte[]> chunks(byte[] frame, int mtu) {
        if (mtu < 1) {
            throw new IllegalArgumentException("mtu must be positive");
        }
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < frame.length; i += mtu) {
            out.add(java.util.Arrays.copyOfRange(frame, i, Math.min(frame.length, i + mtu)));
        }
        return out;
    }

    /**
     * Reassembles the messages of one connection. Once it has refused a frame it refuses everything after (the
     * stream has lost its boundaries; the link closes the connection). Not thread-safe: one per connection.
     */
    public static final class Decoder {
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private int expected = -1;
        private boolean broken;

        /**
         * Takes one write and returns the messages it completes (often none or one).
         *
         * @throws MalformedFrameException for a length of 0 or above {@link #MAX_MESSAGE}
         */
        public List<byte[]> feed(byte[] chunk) {
            if (broken) {
                throw new MalformedFrameException("the connection's framing was already broken");
            }
            List<byte[]> out = new ArrayList<>();
            if (chunk == null) {
                return out;
            }
            int i = 0;
            while (i < chunk.length) {
                if (expected < 0) {
                    pending.write(chunk[i++]);
                    if (pending.size() == 2) {
                        byte[] header = pending.toByteArray();
                        int length = (header[0] & 0xff) << 8 | header[1] & 0xff;
                        pending.reset();
                        if (length == 0 || length > MAX_MESSAGE) {
                            broken = true;
                            throw new MalformedFrameException("frame length " + length + " outside 1.." + MAX_MESSAGE);
                        }
                        expected = length;
                    }
                } else {
                    int take = Math.min(expected - pending.size(), chunk.length - i);
                    pending.write(chunk, i, take);
                    i += take;
                    if (pending.size() == expected) {
                        out.add(pending.toByteArray());
                        pending.reset();
                        expected = -1;
                    }
                }
            }
            return out;
        }

        /** Whether part of a frame is waiting for more bytes (a connection closed now cut it off). */
        public boolean midFrame() {
            return expected >= 0 || pending.size() > 0;
        }
    }
}
