package io.latchkey.hal.key.hid;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A USB-HID "keyboard wedge" scanner read from its Linux input device ({@code /dev/input/by-id/...-event-kbd}): the
 * kernel's {@code struct input_event} records (little-endian; 24 bytes on a 64-bit kernel, 16 on a 32-bit one) turned
 * back into the text the scanner typed, on a US layout, with Enter as a line end. So the line-oriented scanner reader
 * reads a HID scanner as it reads a serial one. Keys it does not know are dropped; key releases and repeats ignored.
 *
 * <p><em>Note</em>: Java cannot take the device exclusively ({@code EVIOCGRAB}), so the keystrokes also reach the
 * console: on a Pi without a screen nobody is logged in there; where one is, use the scanner's serial (CDC) mode.
 */
public final class EvdevKeyText extends InputStream {
    static final int EV_KEY = 1;
    private static final int KEY_ENTER = 28;
    private static final int KEY_KPENTER = 96;
    private static final int KEY_LEFTSHIFT = 42;
    private static final int KEY_RIGHTSHIFT = 54;
    private static final String[] PLAIN = new String[128];
    private static final String[] SHIFTED = new String[128];

    static {
        keys(2, "1234567890-=", "!@#$%^&*()_+");
        keys(16, "qwertyuiop[]", "QWERTYUIOP{}");
        keys(30, "asdfghjkl;'`", "ASDFGHJKL:\"~");
        keys(43, "\\zxcvbnm,./", "|ZXCVBNM<>?");
        keys(57, " ", " ");
    }

    private static void keys(int firstCode, String plain, String shifted) {
        for (int i = 0; i < plain.length(); i++) {
            PLAIN[firstCode + i] = plain.substring(i, i + 1);
            SHIFTED[firstCode + i] = shifted.substring(i, i + 1);
        }
    }

    private final InputStream events;
    private final int eventSize;
    private final byte[] event;
    private boolean leftShift;
    private boolean rightShift;

    /** @param eventSize 24 on a 64-bit kernel, 16 on a 32-bit one ({@link #nativeEventSize()}) */
    public EvdevKeyText(InputStream events, int eventSize) {
        if (eventSize != 16 && eventSize != 24) {
            throw new IllegalArgumentException("an input_event has 16 or 24 bytes");
        }
        this.events = events;
        this.eventSize = eventSize;
        this.event = new byte[eventSize];
    }

    /** The size of {@code struct input_event} for this JVM's word size (the Pi's 64-bit OS: 24). */
    public static int nativeEventSize() {
        return "32".equals(System.getProperty("sun.arch.data.model")) ? 16 : 24;
    }

    @Override
    public int read() throws IOException {
        while (true) {
            int got = events.readNBytes(event, 0, eventSize);
            if (got < eventSize) {
                return -1;
            }
            ByteBuffer b = ByteBuffer.wrap(event, eventSize - 8, 8).order(ByteOrder.LITTLE_ENDIAN);
            int type = b.getShort() & 0xffff;
            int code = b.getShort() & 0xffff;
            int value = b.getInt();
            if (type != EV_KEY) {
                continue;
            }
            if (code == KEY_LEFTSHIFT) {
                leftShift = value != 0;
            } else if (code == KEY_RIGHTSHIFT) {
                rightShift = value != 0;
            } else if (value == 1) {
                if (code == KEY_ENTER || code == KEY_KPENTER) {
                    return '\n';
                }
                String c = code < PLAIN.length ? (leftShift || rightShift ? SHIFTED : PLAIN)[code] : null;
                if (c != null) {
                    return c.charAt(0);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        events.close();
    }
}
