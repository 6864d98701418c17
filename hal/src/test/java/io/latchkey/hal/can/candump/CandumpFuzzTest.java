package io.latchkey.hal.can.candump;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.hal.can.CanFrame;
import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class CandumpFuzzTest {

    @Property(tries = 2000)
    void anyLine_isARecordOrACandumpParseException(@ForAll("candumpLike") String line) {
        try {
            assertThat(CandumpLine.parse(line, 7)).isNotNull();
        } catch (CandumpParseException expected) {
            assertThat(expected.lineNumber()).isEqualTo(7);
        }
    }

    @Property(tries = 300)
    void validFrames_amongGarbageLines_areAllRead_inOrder(@ForAll("frames") List<CanFrame> frames,
                                                         @ForAll("garbage") List<String> garbage) throws IOException {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < frames.size(); i++) {
            log.append(CandumpLine.format(frames.get(i), "can0")).append('\n');
            log.append(garbage.get(i % garbage.size())).append('\n');
        }
        List<CanFrame> read = new ArrayList<>();
        try (CandumpReader reader = new CandumpReader(new StringReader(log.toString()))) {
            while (true) {
                try {
                    CandumpRecord r = reader.next();
                    if (r == null) {
                        break;
                    }
                    read.add(r.frame());
                } catch (CandumpParseException expected) {
                    // garbage line: reported, skipped
                }
            }
        }
        assertThat(read).containsSubsequence(frames);
    }

    @Provide
    Arbitrary<List<CanFrame>> frames() {
        Arbitrary<Instant> time = Arbitraries.longs().between(0, 4_000_000_000L).flatMap(s ->
                Arbitraries.integers().between(0, 999_999).map(us -> Instant.ofEpochSecond(s, us * 1000L)));
        Arbitrary<CanFrame> standard = Combinators.combine(Arbitraries.integers().between(0, 0x7FF),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(8), time).as((id, data, t) -> CanFrame.data(id, false, data, t));
        Arbitrary<CanFrame> extended = Combinators.combine(Arbitraries.integers().between(0, 0x1FFFFFFF),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(8), time).as((id, data, t) -> CanFrame.data(id, true, data, t));
        Arbitrary<CanFrame> remote = Combinators.combine(Arbitraries.integers().between(0, 0x7FF),
                Arbitraries.integers().between(0, 8), time).as((id, n, t) -> CanFrame.remote(id, false, n, t));
        return Arbitraries.oneOf(standard, extended, remote).list().ofMinSize(1).ofMaxSize(30);
    }

    @Provide
    Arbitrary<List<String>> garbage() {
        return Arbitraries.strings().all().excludeChars('\n', '\r').ofMaxLength(80).list().ofMinSize(1).ofMaxSize(10);
    }

    @Provide
    Arbitrary<String> candumpLike() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(80),
                Arbitraries.strings().withChars("()#.R0123456789ABCDEFabcdef can").ofMaxLength(60),
                Arbitraries.strings().withChars("0123456789ABCDEFR.#").ofMaxLength(30).map(s -> "(1436509052.249713) can0 " + s));
    }
}
