package io.latchkey.hal.can.candump;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.hal.can.CanFrame;
import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CandumpTest {

    @Test
    void extendedDataFrame_asInTheCanUtilsDocs() {
        CandumpRecord r = CandumpLine.parse("(1436509052.249713) can0 1F334455#1122334455667788", 1);
        assertThat(r.interfaceName()).isEqualTo("can0");
        CanFrame f = r.frame();
        assertThat(f.extended()).isTrue();
        assertThat(f.id()).isEqualTo(0x1F334455);
        assertThat(f.data()).containsExactly(0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88);
        assertThat(f.timestamp()).isEqualTo(Instant.ofEpochSecond(1436509052, 249_713_000));
    }

    @Test
    void standardFrames_emptyData_dots_andRemoteFrames() {
        assertThat(CandumpLine.parse("(0.000001) vcan0 4F0#", 1).frame()).isEqualTo(CanFrame.data(0x4F0, false, new byte[0],
                Instant.ofEpochSecond(0, 1000)));
        assertThat(CandumpLine.parse("(1.5) can1 123#de.ad.be.ef", 1).frame().data()).containsExactly(0xDE, 0xAD, 0xBE, 0xEF);
        CanFrame rtr = CandumpLine.parse("(1.000000) can0 7DF#R", 1).frame();
        assertThat(rtr.remote()).isTrue();
        assertThat(rtr.length()).isZero();
        assertThat(CandumpLine.parse("(1.000000) can0 12345678#R5", 1).frame().length()).isEqualTo(5);
    }

    @Test
    void format_isWhatCandumpWrites_andReadsBack() {
        CanFrame frame = CanFrame.data(0x318, false, new byte[]{24, 0x10, 0, 0, 0, 0, 0, 0}, Instant.ofEpochSecond(1436509052, 249_713_000));
        String line = CandumpLine.format(frame, "can0");
        assertThat(line).isEqualTo("(1436509052.249713) can0 318#1810000000000000");
        assertThat(CandumpLine.parse(line, 1).frame()).isEqualTo(frame);
        CanFrame rtr = CanFrame.remote(0x1F334455, true, 3, Instant.ofEpochSecond(2));
        assertThat(CandumpLine.format(rtr, "can0")).isEqualTo("(2.000000) can0 1F334455#R3");
        assertThat(CandumpLine.parse(CandumpLine.format(rtr, "can0"), 1).frame()).isEqualTo(rtr);
    }

    @ParameterizedTest
    @ValueSource(strings = {"can0 123#00", "(1.0 can0 123#00", "(x.1) can0 123#00", "(1.0) can0", "(1.0) can0 123",
            "(1.0) can0 12#00", "(1.0) can0 800#00", "(1.0) can0 123#0", "(1.0) can0 123#0011223344556677889", "(1.0) can0 123#zz",
            "(1.0) can0 123##1DEADBEEF", "(1.0) can0 20000080#0000000000000000", "(1.0) can0 123#R9", "(1.0) can0 123#00 extra"})
    void badLines_areRejectedWithTheirLineNumber(String line) {
        assertThatThrownBy(() -> CandumpLine.parse(line, 42)).isInstanceOfSatisfying(CandumpParseException.class,
                e -> assertThat(e.lineNumber()).isEqualTo(42)).hasMessageStartingWith("line 42: ");
    }

    @Test
    void reader_reportsABadLine_andCarriesOn() throws IOException {
        String log = "(1.000000) can0 123#01\n\ngarbage\n(2.000000) can0 124#02\n";
        List<CanFrame> frames = new ArrayList<>();
        List<Long> badLines = new ArrayList<>();
        try (CandumpReader reader = new CandumpReader(new StringReader(log))) {
            while (true) {
                try {
                    CandumpRecord r = reader.next();
                    if (r == null) {
                        break;
                    }
                    frames.add(r.frame());
                } catch (CandumpParseException e) {
                    badLines.add(e.lineNumber());
                }
            }
        }
        assertThat(frames).extracting(CanFrame::id).containsExactly(0x123, 0x124);
        assertThat(badLines).containsExactly(3L);
    }

    @Test
    void writer_writesOneLinePerFrame() throws IOException {
        StringBuilder out = new StringBuilder();
        CandumpWriter writer = new CandumpWriter(out, "vcan0");
        writer.write(CanFrame.standard(0x7E8, 3, 0x41, 0x0D, 0x32).withTimestamp(Instant.ofEpochSecond(10, 500_000_000)));
        assertThat(out).hasToString("(10.500000) vcan0 7E8#03410D32\n");
    }
}
