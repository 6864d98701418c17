package io.latchkey.hal.key.hid;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.hal.key.serial.SerialBarcodeScanner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvdevKeyTextTest {
    /** What a keyboard-wedge scanner sends for {@code text} and Enter: shift, press, release, as the kernel reports them. */
    static byte[] typed(String text, int eventSize) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String plain = "1234567890-=qwertyuiop[]asdfghjkl;'`\\zxcvbnm,./";
        int[] codes = new int[plain.length()];
        int i = 0;
        for (int c = 2; c <= 13; c++) {
            codes[i++] = c;
        }
        for (int c = 16; c <= 27; c++) {
            codes[i++] = c;
        }
        for (int c = 30; c <= 41; c++) {
            codes[i++] = c;
        }
        for (int c = 43; c <= 53; c++) {
            codes[i++] = c;
        }
        String shifted = "!@#$%^&*()_+QWERTYUIOP{}ASDFGHJKL:\"~|ZXCVBNM<>?";
        for (char ch : text.toCharArray()) {
            int p = plain.indexOf(ch);
            boolean shift = p < 0;
            int code = codes[shift ? shifted.indexOf(ch) : p];
            if (shift) {
                event(out, eventSize, 42, 1);
            }
            event(out, eventSize, code, 1);
            event(out, eventSize, 0, 0, 0); // a SYN_REPORT between, as the kernel sends
            event(out, eventSize, code, 0);
            if (shift) {
                event(out, eventSize, 42, 0);
            }
        }
        event(out, eventSize, 28, 1);
        event(out, eventSize, 28, 0);
        return out.toByteArray();
    }

    static void event(ByteArrayOutputStream out, int size, int code, int value) {
        event(out, size, EvdevKeyText.EV_KEY, code, value);
    }

    static void event(ByteArrayOutputStream out, int size, int type, int code, int value) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.position(size - 8);
        b.putShort((short) type).putShort((short) code).putInt(value);
        out.writeBytes(b.array());
    }

    @Test
    void aScannedKeyCode_typedAsKeystrokes_isReadBackAsTheSameLine_on64And32BitKernels() throws Exception {
        String code = "LK1.eyJjcmVkZW50aWFsIjp7_-Q9";
        for (int size : new int[] {24, 16}) {
            byte[] stream = typed(code, size);
            SerialBarcodeScanner scanner = new SerialBarcodeScanner("/dev/input/event3",
                    () -> new EvdevKeyText(new ByteArrayInputStream(stream), size), d -> { });
            List<String> lines = new ArrayList<>();
            scanner.onScan(lines::add);
            scanner.readOnce();
            assertThat(lines).containsExactly(code);
        }
    }
}
