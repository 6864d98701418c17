package io.latchkey.hal.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.hal.gnss.GnssFix;
import io.latchkey.hal.gnss.nmea.GpsdCheckFile;
import io.latchkey.hal.gnss.nmea.NmeaEpoch;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NmeaDecodeToolTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"bt451", "nl2008u", "skytraq", "myguide-3100"})
    void outputLines_matchGpsdsTpvs(String capture) throws Exception {
        ToolRun run = ToolRun.of(NmeaDecodeTool::run, "", capturePath(capture).toString());
        assertThat(run.exit()).isZero();
        assertThat(run.err()).isEmpty();
        List<NmeaEpoch> epochs = new ArrayList<>();
        for (String line : run.out()) {
            epochs.add(epoch(JSON.readTree(line)));
        }
        GpsdCheckFile.assertMatches(capture, epochs, GpsdCheckFile.Precision.PRINTED);
    }

    @Test
    void stdin_withBadLines_reportsThemWithLineNumbers_andCarriesOn() throws Exception {
        String input = "# comment\r\n"
                + "$GNRMC,091232.000,A,4813.0535,N,00824.8697,E,0.00,0.00,101015,,,A,V*06\r\n"
                + "$GNRMC,091233.000,A,4813.0535,N,00824.8697,E,0.00,0.00,101015,,,A,V*00\n"
                + "$GNGGA,091233.000,4813.05\n"
                + "\u0001\u00fe\u00ffgarbage\n"
                + "$GNRMC,091234.000,A,4813.0535,N,00824.8697,E,6.56,175.87,101015,,,A,V*09\n";
        ToolRun run = ToolRun.of(NmeaDecodeTool::run, input, "-");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).containsExactly(
                "{\"class\":\"TPV\",\"mode\":2,\"time\":\"2015-10-10T09:12:32.000Z\",\"lat\":48.217558333,\"lon\":8.414495000,\"track\":0.0000,\"speed\":0.000}",
                "{\"class\":\"TPV\",\"mode\":2,\"time\":\"2015-10-10T09:12:34.000Z\",\"lat\":48.217558333,\"lon\":8.414495000,\"track\":175.8700,\"speed\":3.375}");
        assertThat(run.err()).hasSize(3);
        assertThat(run.err().get(0)).startsWith("-:3: checksum mismatch");
        assertThat(run.err().get(1)).startsWith("-:4: no '*' checksum");
        assertThat(run.err().get(2)).startsWith("-:5: no '$'");
    }

    @Test
    void usage_andMissingFile() {
        assertThat(ToolRun.of(NmeaDecodeTool::run, "").exit()).isEqualTo(2);
        ToolRun missing = ToolRun.of(NmeaDecodeTool::run, "", "/nonexistent/file.log");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).singleElement().asString().contains("/nonexistent/file.log");
    }

    /** Output lines back into reports; the cycle's time of day is the report's when it has one. */
    private static NmeaEpoch epoch(JsonNode n) {
        Instant time = n.has("time") ? Instant.parse(n.get("time").asText()) : null;
        GnssFix fix = new GnssFix(time, n.get("mode").asInt(), number(n, "lat"), number(n, "lon"), number(n, "alt"),
                number(n, "speed"), number(n, "track"));
        return new NmeaEpoch(time == null ? null : time.atZone(ZoneOffset.UTC).toLocalTime(), fix);
    }

    private static Double number(JsonNode n, String field) {
        return n.has(field) ? n.get(field).asDouble() : null;
    }

    static Path capturePath(String capture) throws URISyntaxException, IOException {
        Path path = Path.of(NmeaDecodeToolTest.class.getResource("/nmea/" + capture + ".log").toURI());
        assertThat(Files.size(path)).isPositive();
        return path;
    }
}
