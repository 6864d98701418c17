package io.latchkey.hal.gnss.nmea;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our reports against gpsd's own output for its four regression captures; the rules are in {@link GpsdCheckFile}. */
public class NmeaCapturesTest {

    @ParameterizedTest
    @ValueSource(strings = {"bt451", "nl2008u", "skytraq", "myguide-3100"})
    void reports_matchGpsdPerCycle(String capture) throws IOException {
        GpsdCheckFile.assertMatches(capture, decode(capture), GpsdCheckFile.Precision.EXACT);
    }

    static List<NmeaEpoch> decode(String capture) throws IOException {
        List<NmeaEpoch> epochs = new ArrayList<>();
        NmeaEpochAssembler assembler = new NmeaEpochAssembler(epochs::add);
        try (InputStream in = resource(capture + ".log")) {
            NmeaLineReader reader = new NmeaLineReader(in);
            String line;
            while ((line = reader.readLine()) != null) {
                if (!NmeaParser.isCommentOrBlank(line)) {
                    assembler.accept(NmeaParser.parse(line));
                }
            }
        }
        assembler.flush();
        return epochs;
    }

    public static InputStream resource(String name) {
        return Objects.requireNonNull(NmeaCapturesTest.class.getResourceAsStream("/nmea/" + name), name);
    }
}
