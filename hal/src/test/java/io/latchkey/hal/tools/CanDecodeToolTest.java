package io.latchkey.hal.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CanDecodeToolTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String dbc(String name) throws Exception {
        return Path.of(CanDecodeToolTest.class.getResource("/dbc/" + name).toURI()).toString();
    }

    @Test
    void teslaLog_decodesFrames_andReportsBadLinesUnknownIdsAndWrongLengths() throws Exception {
        String log = """
                (1436509052.249713) can0 318#1810000000000000
                this is not candump
                (1436509052.250000) can0 7FF#00
                (1436509052.260000) can0 118#384FA4460500
                (1436509052.270000) can0 118#384FA446
                (1436509052.280000) can0 3EE#0900000000000000
                """;
        ToolRun run = ToolRun.of(CanDecodeTool::run, log, "--dbc", dbc("tesla_can.dbc"), "-");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).hasSize(3);
        JsonNode gateway = JSON.readTree(run.out().get(0));
        assertThat(gateway.get("time").decimalValue()).isEqualByComparingTo("1436509052.249713");
        assertThat(run.out().get(0)).startsWith("{\"time\":1436509052.249713,\"id\":792,\"message\":\"GTW_carState\",\"signals\":{");
        assertThat(gateway.get("signals").get("YEAR").asInt()).isEqualTo(2024);
        assertThat(gateway.get("labels").get("DOOR_STATE_FL").asText()).isEqualTo("open");
        JsonNode torque = JSON.readTree(run.out().get(1));
        assertThat(torque.get("id").asInt()).isEqualTo(280);
        assertThat(torque.get("signals").get("DI_vehicleSpeed").toString()).isEqualTo("60");
        assertThat(torque.get("signals").get("DI_torqueEstimate").toString()).isEqualTo("-100");
        assertThat(torque.get("labels").get("DI_gear").asText()).isEqualTo("DI_GEAR_D");
        JsonNode mux = JSON.readTree(run.out().get(2));
        assertThat(mux.get("signals").has("UI_camBlockLaneCheckDisable")).isTrue();
        assertThat(mux.get("signals").has("UI_hovEnabled")).isFalse();
        assertThat(run.err()).containsExactly(
                "-:2: expected '(' and a timestamp",
                "-:3: id 0x7FF is not in the DBC",
                "-:5: id 0x118 (DI_torque2) has 4 bytes, the DBC says 6");
    }

    @Test
    void fordLog_fromAFile_bigEndianValuesAfterFactorAndOffset(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("ford.log");
        Files.writeString(log, "(1.000000) can0 423#3A98000000800000\n(2.000000) can0 3A0#440000 01E24000 00\n(3.000000) can0 3A0#44000001E2400000\n");
        ToolRun run = ToolRun.of(CanDecodeTool::run, "", "--dbc=" + dbc("ford_cgea1_2_bodycan_2011.dbc"), log.toString());
        assertThat(run.exit()).isZero();
        assertThat(run.out()).hasSize(2);
        assertThat(JSON.readTree(run.out().get(0)).get("signals").get("VEH_SPD").toString()).isEqualTo("50");
        assertThat(JSON.readTree(run.out().get(1)).get("signals").get("OdometerMasterValue").asInt()).isEqualTo(123456);
        assertThat(run.err()).singleElement().asString().startsWith(log + ":2: ");
    }

    @Test
    void dbcWithASyntaxError_stopsWithItsLine(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.dbc");
        Files.writeString(bad, "VERSION \"\"\nBO_ 100 Msg: 8 ECU\n SG_ Speed : 7|16@0+ (0.01,0 [0|0] \"kph\" XXX\n");
        ToolRun run = ToolRun.of(CanDecodeTool::run, "", "--dbc", bad.toString(), "-");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).singleElement().asString().startsWith("bad.dbc:3: SG_: expected ')'");
    }

    @Test
    void usage() {
        assertThat(ToolRun.of(CanDecodeTool::run, "", "-").exit()).isEqualTo(2);
        assertThat(ToolRun.of(CanDecodeTool::run, "", "--dbc").exit()).isEqualTo(2);
        assertThat(ToolRun.of(CanDecodeTool::run, "", "--help").exit()).isZero();
    }
}
