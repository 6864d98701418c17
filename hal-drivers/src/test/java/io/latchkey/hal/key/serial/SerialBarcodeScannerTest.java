package io.latchkey.hal.key.serial;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SerialBarcodeScannerTest {
    static SerialBarcodeScanner scanner(byte[] stream) {
        return new SerialBarcodeScanner("test", () -> new ByteArrayInputStream(stream), d -> { });
    }

    @Test
    void eachLine_isOneCode_whateverItsEnding_andEmptyLinesAreIgnored() throws Exception {
        SerialBarcodeScanner s = scanner("LK1.abc\r\nLK1.def\n\r\nplain\rlast".getBytes(StandardCharsets.UTF_8));
        List<String> codes = new ArrayList<>();
        s.onScan(codes::add);
        s.readOnce();
        assertThat(codes).containsExactly("LK1.abc", "LK1.def", "plain");
    }

    @Test
    void anOverlongLine_isDroppedWhole_andTheNextLineStillArrives() throws Exception {
        String huge = "x".repeat(SerialBarcodeScanner.MAX_LINE + 10);
        SerialBarcodeScanner s = scanner((huge + "\nLK1.ok\n").getBytes(StandardCharsets.UTF_8));
        List<String> codes = new ArrayList<>();
        s.onScan(codes::add);
        s.readOnce();
        assertThat(codes).containsExactly("LK1.ok");
        assertThat(s.dropped()).isEqualTo(1);
    }

    @Test
    void aFailingListener_doesNotStopTheOthers_norTheScanner() throws Exception {
        SerialBarcodeScanner s = scanner("a\nb\n".getBytes(StandardCharsets.UTF_8));
        List<String> codes = new ArrayList<>();
        s.onScan(t -> {
            throw new IllegalStateException("boom");
        });
        s.onScan(codes::add);
        s.readOnce();
        assertThat(codes).containsExactly("a", "b");
    }
}
