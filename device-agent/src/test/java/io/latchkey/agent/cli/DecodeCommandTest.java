package io.latchkey.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.agent.AgentMain;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecodeCommandTest {
    private record Run(int exit, List<String> out, List<String> err) {
    }

    private static Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Streams streams = new Streams(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit = AgentMain.commandLine(streams).execute(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8).lines().toList(),
                err.toString(StandardCharsets.UTF_8).lines().toList());
    }

    /** A sentence with its checksum, as a receiver sends it. */
    private static String nmea(String body) {
        int sum = 0;
        for (char c : body.toCharArray()) {
            sum ^= c;
        }
        return "$" + body + String.format("*%02X", sum);
    }

    @Test
    void decodeNmea_fromStandardInput_printsATpvLine_andReportsBadLinesOnStandardError() {
        String capture = String.join("\n",
                nmea("GPRMC,120000.00,A,5231.2000,N,01324.3000,E,10.0,90.0,231126,,,A"),
                nmea("GPGGA,120000.00,5231.2000,N,01324.3000,E,1,08,0.9,35.0,M,45.0,M,,"),
                "$GPRMC,garbage*00",
                nmea("GPRMC,120001.00,A,5231.2100,N,01324.3000,E,10.0,90.0,231126,,,A"),
                "");

        Run r = run(capture, "decode", "nmea", "-");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).isNotEmpty();
        assertThat(r.out().get(0)).startsWith("{\"class\":\"TPV\"").contains("\"lat\":52.52").contains("\"time\":\"2026-11-23T12:00:00.000Z\"");
        assertThat(r.err()).singleElement().asString().startsWith("-:3: ");
    }

    @Test
    void decodeCan_withADbcFile_printsOneObjectPerFrame(@TempDir Path dir) throws Exception {
        Path dbc = dir.resolve("car.dbc");
        Files.writeString(dbc, """
                VERSION ""

                BU_: ECU

                BO_ 256 Speed: 8 ECU
                 SG_ VehicleSpeed : 0|16@1+ (0.01,0) [0|655.35] "km/h" Vector__XXX
                """);
        Path log = dir.resolve("drive.log");
        Files.writeString(log, "(1700000000.123456) can0 100#E803000000000000\n(1700000000.2) can0 7FF#00\n");

        Run r = run("", "decode", "can", "--dbc", dbc.toString(), log.toString());

        assertThat(r.exit()).isZero();
        assertThat(r.out()).containsExactly(
                "{\"time\":1700000000.123456,\"id\":256,\"message\":\"Speed\",\"signals\":{\"VehicleSpeed\":10},\"labels\":{}}");
        assertThat(r.err()).singleElement().asString().contains(":2: id 0x7FF is not in the DBC");
    }

    @Test
    void decodeCan_withoutADbc_isAUsageError() {
        Run r = run("", "decode", "can", "-");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).containsExactly("usage: decode can --dbc FILE.dbc LOG|-");
    }

    @Test
    void decodeNmea_ofAMissingFile_exitsWithOne() {
        Run r = run("", "decode", "nmea", "/no/such/file.nmea");

        assertThat(r.exit()).isEqualTo(1);
    }
}
