package io.latchkey.hal.can.dbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The DBC parser on garbage and on damaged real files: a database or a DbcParseException, nothing else. */
class DbcFuzzTest {
    private static final String TESLA = new String(DbcFiles.bytes(DbcFiles.TESLA), StandardCharsets.UTF_8);
    private static final String FORD = new String(DbcFiles.bytes(DbcFiles.FORD), StandardCharsets.UTF_8);

    @Property(tries = 1000)
    void randomText_isADatabaseOrADbcParseException(@ForAll("dbcLike") String text) {
        parse(text);
    }

    @Property(tries = 300)
    void realFile_withOneCharacterChanged(@ForAll @IntRange(min = 0, max = 54_000) int at, @ForAll("dbcChars") char c) {
        String damaged = TESLA.substring(0, Math.min(at, TESLA.length() - 1)) + c + TESLA.substring(Math.min(at, TESLA.length() - 1) + 1);
        parse(damaged);
    }

    @Property(tries = 300)
    void realFile_truncatedAnywhere(@ForAll @IntRange(min = 0, max = 49_588) int length) {
        DbcDatabase db = parse(FORD.substring(0, Math.min(length, FORD.length())));
        if (db != null) {
            assertThat(db.messages().size()).isLessThanOrEqualTo(102);
        }
    }

    private static DbcDatabase parse(String text) {
        try {
            return DbcParser.parse(text, "fuzz.dbc");
        } catch (DbcParseException expected) {
            assertThat(expected.lineNumber()).isPositive();
            return null;
        }
    }

    @Provide
    Arbitrary<String> dbcLike() {
        Arbitrary<String> tokens = Arbitraries.of("BO_ ", "SG_ ", "VAL_ ", "VAL_TABLE_ ", "CM_ ", "BA_ ", "NS_ :", "BU_:", "M ", "m1 ",
                ": ", "|", "@0+", "@1-", "(", ")", "[", "]", ",", ";", "\"", "\n", " ", "\t", "1", "8", "63", "64", "-1.5e+3", "x",
                "Name", "SIG_VALTYPE_ ", "1024").list().ofMaxSize(60).map(l -> String.join("", l));
        return Arbitraries.oneOf(tokens, Arbitraries.strings().all().ofMaxLength(200));
    }

    @Provide
    Arbitrary<Character> dbcChars() {
        return Arbitraries.of(' ', '\n', '"', ':', '|', '@', '(', ')', '[', ']', ';', ',', 'x', '9', '-', '+', 'M', '\t');
    }
}
