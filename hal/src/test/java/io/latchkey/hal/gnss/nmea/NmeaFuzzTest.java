package io.latchkey.hal.gnss.nmea;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.hal.gnss.GnssFix;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Garbage, truncation and noise fed to the parser and to {@link NmeaGnss}: rejected, never thrown, never losing a good cycle. */
class NmeaFuzzTest {
    private static final String GOOD = "$GNRMC,091505.000,A,4813.0461,N,00824.8697,E,9.48,186.63,101015,,,A,V*0A";

    @Property(tries = 2000)
    void anyString_isASentenceOrANmeaParseException(@ForAll("nmeaLike") String line) {
        try {
            assertThat(NmeaParser.parse(line)).isNotNull();
        } catch (NmeaParseException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 1000)
    void anyPrefixOfAValidSentence_isRejectedCleanly(@ForAll @IntRange(min = 0, max = 73) int cut) {
        String truncated = GOOD.substring(0, Math.min(cut, GOOD.length() - 1));
        try {
            NmeaParser.parse(truncated);
            assertThat(truncated).as("only the full sentence parses").isEqualTo(GOOD);
        } catch (NmeaParseException expected) {
            // a truncated sentence must be refused, never half-read
        }
    }

    @Property(tries = 1000)
    void anySingleCorruptedCharacter_isCaughtByTheChecksum(@ForAll @IntRange(min = 1, max = 69) int at,
                                                         @ForAll @IntRange(min = 1, max = 127) int xor) {
        char[] chars = GOOD.toCharArray();
        chars[at] = (char) (chars[at] ^ xor);
        try {
            NmeaParser.parse(new String(chars));
            throw new AssertionError("corruption accepted: " + new String(chars));
        } catch (NmeaParseException expected) {
            // the XOR checksum catches every single-character change before the '*'
        }
    }

    @Property(tries = 300)
    void garbageLinesBetweenCycles_loseNoCycle(@ForAll("garbage") List<String> garbage, @ForAll boolean crlf) throws IOException {
        NmeaWriter writer = new NmeaWriter();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int cycles = garbage.size();
        for (int i = 0; i < cycles; i++) {
            GnssFix fix = new GnssFix(Instant.parse("2020-05-01T10:00:00Z").plusSeconds(i), 3, 48.0 + i * 1e-4, 8.0, 700.0, 5.0, 90.0);
            for (String s : writer.sentences(fix)) {
                bytes.write((s + (crlf ? "\r\n" : "\n")).getBytes(StandardCharsets.US_ASCII));
            }
            bytes.write((garbage.get(i) + "\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        List<GnssFix> fixes = new ArrayList<>();
        NmeaGnss gnss = new NmeaGnss();
        gnss.addListener(fixes::add);
        gnss.readFrom(new ByteArrayInputStream(bytes.toByteArray()));
        assertThat(fixes.stream().map(GnssFix::time).distinct()).hasSize(cycles);
        assertThat(fixes).allMatch(f -> f.mode() == 3);
    }

    @Provide
    Arbitrary<String> nmeaLike() {
        Arbitrary<String> random = Arbitraries.strings().all().ofMaxLength(120);
        Arbitrary<String> nmeaChars = Arbitraries.strings().withChars("$*,.0123456789ABCDEFGNPRMCVTSWZ-\r\n").ofMaxLength(100);
        Arbitrary<String> framed = Arbitraries.strings().withChars(",.0123456789ABCDEFGNSEWVTK-+eE")
                .ofMaxLength(90).map(body -> NmeaWriter.frame(pick(body) + body));
        return Arbitraries.oneOf(random, nmeaChars, framed);
    }

    @Provide
    Arbitrary<List<String>> garbage() {
        // Garbage with no '$' and no line end, so that it cannot hide a sentence of its own.
        return Arbitraries.strings().all().excludeChars('$', '\n').ofMaxLength(200).list().ofMinSize(1).ofMaxSize(20);
    }

    private static String pick(String body) {
        String[] addresses = {"GPRMC,", "GNGGA,", "GLGSA,", "GAVTG,", "BDGLL,", "GPZDA,"};
        return addresses[Math.floorMod(body.hashCode(), addresses.length)];
    }
}
