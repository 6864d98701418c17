package io.latchkey.agent.config;

import io.latchkey.agent.AgentConfigException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.hal.can.obd.ObdPid;
import io.latchkey.protocol.Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigLoaderTest {
    private static final String KEY = Keys.encodePublic(Keys.newCommandKeyPair().getPublic());

    @TempDir
    Path dir;

    private Map<String, String> minimal() {
        Map<String, String> m = new HashMap<>();
        m.put("tenant", "acme");
        m.put("device.id", "dev-001");
        m.put("mqtt.url", "tcp://127.0.0.1:1883");
        m.put("command.keys.cmd-1", KEY);
        m.put("data.dir", "/var/lib/latchkey");
        return m;
    }

    @Test
    void propertiesFile_withTheRequiredKeys_isReadAndDefaultsAreFilledIn() throws Exception {
        Path file = dir.resolve("agent.properties");
        Files.writeString(file, """
                tenant=acme
                device.id=dev-001
                mqtt.url=tcp://127.0.0.1:1884
                command.keys.cmd-1=%s
                data.dir=data
                telemetry.interval.moving=2s
                """.formatted(KEY));

        AgentConfig c = AgentConfigLoader.load(file);

        assertThat(c.tenant()).isEqualTo("acme");
        assertThat(c.deviceId()).isEqualTo("dev-001");
        assertThat(c.mqttHost()).isEqualTo("127.0.0.1");
        assertThat(c.mqttPort()).isEqualTo(1884);
        assertThat(c.usesTls()).isFalse();
        assertThat(c.commandKeys()).containsOnlyKeys("cmd-1");
        assertThat(c.dataDir()).isEqualTo(dir.toAbsolutePath().resolve("data"));
        assertThat(c.movingInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.parkedInterval()).isEqualTo(AgentConfig.DEFAULT_PARKED_INTERVAL);
        assertThat(c.commandSkew()).isEqualTo(AgentConfig.DEFAULT_COMMAND_SKEW);
    }

    @Test
    void jsonFile_withNestedObjects_meansTheSameAsDottedKeys() throws Exception {
        Path file = dir.resolve("agent.json");
        Files.writeString(file, """
                {"tenant":"acme","device":{"id":"dev-001"},"mqtt":{"url":"ssl://broker.example:8883"},
                 "command":{"keys":{"cmd-1":"%s"},"feedback-timeout":"500ms"},"data":{"dir":"/tmp/x"}}
                """.formatted(KEY));

        AgentConfig c = AgentConfigLoader.load(file);

        assertThat(c.deviceId()).isEqualTo("dev-001");
        assertThat(c.usesTls()).isTrue();
        assertThat(c.mqttPort()).isEqualTo(8883);
        assertThat(c.feedbackTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/x"));
    }

    @Test
    void missingDeviceId_stopsWithAMessageNamingTheKey() {
        Map<String, String> m = minimal();
        m.remove("device.id");

        assertThatThrownBy(() -> AgentConfigLoader.fromMap(m, dir))
                .isInstanceOf(AgentConfigException.class).hasMessageContaining("device.id is required");
    }

    @Test
    void noPinnedCommandKey_stopsWithAMessageNamingTheKey() {
        Map<String, String> m = minimal();
        m.remove("command.keys.cmd-1");

        assertThatThrownBy(() -> AgentConfigLoader.fromMap(m, dir)).hasMessageStartingWith("command.keys");
    }

    @Test
    void mqttClient_isPahoByDefault_hivemqOnRequest_andAnythingElseStopsTheAgent() {
        assertThat(AgentConfigLoader.fromMap(minimal(), dir).mqttClient()).isEqualTo(io.latchkey.agent.mqtt.MqttClientKind.PAHO);
        Map<String, String> m = minimal();
        m.put("mqtt.client", "hivemq");
        assertThat(AgentConfigLoader.fromMap(m, dir).mqttClient()).isEqualTo(io.latchkey.agent.mqtt.MqttClientKind.HIVEMQ);
        m.put("mqtt.client", " Paho ");
        assertThat(AgentConfigLoader.fromMap(m, dir).mqttClient()).isEqualTo(io.latchkey.agent.mqtt.MqttClientKind.PAHO);

        m.put("mqtt.client", "mosquitto");
        assertThatThrownBy(() -> AgentConfigLoader.fromMap(m, dir)).isInstanceOf(AgentConfigException.class)
                .hasMessage("mqtt.client: expected 'paho' or 'hivemq', got 'mosquitto'");
    }

    @Test
    void unknownKey_isATypoAndStopsTheAgent() {
        Map<String, String> m = minimal();
        m.put("telemetry.intervall.moving", "5s");

        assertThatThrownBy(() -> AgentConfigLoader.fromMap(m, dir))
                .hasMessageStartingWith("telemetry.intervall.moving: unknown key");
    }

    @Test
    void badValues_areReportedWithTheirKeyAndWhatWasExpected() {
        Map<String, String> m = minimal();
        m.put("telemetry.interval.moving", "fast");
        assertThatThrownBy(() -> AgentConfigLoader.fromMap(m, dir)).hasMessageStartingWith("telemetry.interval.moving: expected a duration");

        Map<String, String> m2 = minimal();
        m2.put("mqtt.url", "http://127.0.0.1:1883");
        assertThatThrownBy(() -> AgentConfigLoader.fromMap(m2, dir)).hasMessageStartingWith("mqtt.url: expected tcp://");

        Map<String, String> m3 = minimal();
        m3.put("command.keys.cmd-1", "bm90IGEga2V5");
        assertThatThrownBy(() -> AgentConfigLoader.fromMap(m3, dir)).hasMessageStartingWith("command.keys.cmd-1: expected a base64 Ed25519");

        Map<String, String> m4 = minimal();
        m4.put("device.id", "dev/1");
        assertThatThrownBy(() -> AgentConfigLoader.fromMap(m4, dir)).hasMessageStartingWith("device.id:");

        Map<String, String> m5 = minimal();
        m5.put("telemetry.interval.parked", "1s");
        assertThatThrownBy(() -> AgentConfigLoader.fromMap(m5, dir)).hasMessageStartingWith("telemetry.interval.parked: must not be shorter");
    }

    @Test
    void missingFile_isReportedByName() {
        assertThatThrownBy(() -> AgentConfigLoader.load(dir.resolve("nope.properties")))
                .isInstanceOf(AgentConfigException.class).hasMessageContaining("nope.properties does not exist");
    }

    @Test
    void theSampleConfigShippedInDist_isValid_oncePinnedToARealKey() throws Exception {
        String sample = Files.readString(Path.of("src/main/dist/agent.properties.example"))
                .replaceAll("(?m)^command\\.keys\\.cmd-1=.*$", "command.keys.cmd-1=" + KEY);
        Path file = dir.resolve("agent.properties");
        Files.writeString(file, sample);

        AgentConfig c = AgentConfigLoader.load(file);

        assertThat(c.hardware()).isPresent();
        assertThat(c.hardware().get().locks()).isEqualTo(io.latchkey.hal.assembly.HardwareConfig.Locks.PI4J);
        assertThat(c.journal().maxBytes()).isEqualTo(32L * 1024 * 1024);
    }

    @Test
    void offlineKeyKeys_defaultToOnEveryMinute_andBadValuesNameTheKey() {
        AgentConfig defaults = AgentConfigLoader.fromMap(minimal(), null);
        assertThat(defaults.offlineKeys()).isTrue();
        assertThat(defaults.keysTimePersistInterval()).isEqualTo(Duration.ofMinutes(1));

        Map<String, String> m = minimal();
        m.put("keys.offline", "false");
        m.put("keys.time-persist-interval", "30s");
        AgentConfig c = AgentConfigLoader.fromMap(m, null);
        assertThat(c.offlineKeys()).isFalse();
        assertThat(c.keysTimePersistInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.toBuilder().build().offlineKeys()).isFalse();

        Map<String, String> bad = minimal();
        bad.put("keys.offline", "maybe");
        assertThatThrownBy(() -> AgentConfigLoader.fromMap(bad, null)).hasMessageStartingWith("keys.offline:");
        Map<String, String> zero = minimal();
        zero.put("keys.time-persist-interval", "0s");
        assertThatThrownBy(() -> AgentConfigLoader.fromMap(zero, null)).hasMessageStartingWith("keys.time-persist-interval");
    }

    @Test
    void updateKeysAndOtaSettings_areReadWithTheirDefaults_andBadValuesNameTheKey() {
        AgentConfig defaults = AgentConfigLoader.fromMap(minimal(), null);
        assertThat(defaults.updateKeys()).as("no update key: updates off").isEmpty();
        assertThat(defaults.ota().windowStart()).isEqualTo(java.time.LocalTime.of(1, 0));
        assertThat(defaults.ota().bytesPerDay()).isEqualTo(50L * 1024 * 1024);

        Map<String, String> m = minimal();
        m.put("update.keys.upd-1", io.latchkey.protocol.Keys.encodePublic(io.latchkey.protocol.Keys.newCommandKeyPair().getPublic()));
        m.put("ota.window", "22:30-04:00");
        m.put("ota.window-zone", "Europe/Berlin");
        m.put("ota.selftest-timeout", "2m");
        m.put("ota.bytes-per-day", "10MiB");
        m.put("ota.download-attempts", "3");
        AgentConfig c = AgentConfigLoader.fromMap(m, null);
        assertThat(c.updateKeys()).containsOnlyKeys("upd-1");
        assertThat(c.ota().inWindow(java.time.Instant.parse("2026-12-06T22:00:00Z"))).as("23:00 in Berlin").isTrue();
        assertThat(c.ota().inWindow(java.time.Instant.parse("2026-12-06T12:00:00Z"))).isFalse();
        assertThat(c.ota().selfTestTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.ota().bytesPerDay()).isEqualTo(10L * 1024 * 1024);
        assertThat(c.ota().attempts()).isEqualTo(3);
        assertThat(c.toBuilder().build().updateKeys()).containsOnlyKeys("upd-1");

        Map<String, String> badKey = minimal();
        badKey.put("update.keys.upd-1", "nope");
        assertThatThrownBy(() -> AgentConfigLoader.fromMap(badKey, null)).hasMessageStartingWith("update.keys.upd-1: expected a base64 Ed25519");
        Map<String, String> badWindow = minimal();
        badWindow.put("ota.window", "1am to 5am");
        assertThatThrownBy(() -> AgentConfigLoader.fromMap(badWindow, null)).hasMessageStartingWith("ota.window: expected HH:mm-HH:mm");
        Map<String, String> badZone = minimal();
        badZone.put("ota.window-zone", "Mars/Olympus");
        assertThatThrownBy(() -> AgentConfigLoader.fromMap(badZone, null)).hasMessageStartingWith("ota.window-zone:");
    }

    @Test
    void obdKeys_defaultToNoPolling_andAreReadAsPidNamesAndADuration() {
        AgentConfig defaults = AgentConfigLoader.fromMap(minimal(), null);
        assertThat(defaults.obdPids()).isEmpty();
        assertThat(defaults.obdInterval()).isEqualTo(Duration.ofMillis(100));

        Map<String, String> m = minimal();
        m.put("can.obd.pids", "fuel_level, VEHICLE_SPEED");
        m.put("can.obd.interval", "1s");
        AgentConfig c = AgentConfigLoader.fromMap(m, null);

        assertThat(c.obdPids()).containsExactly(ObdPid.FUEL_LEVEL, ObdPid.VEHICLE_SPEED);
        assertThat(c.obdInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.toBuilder().build().obdPids()).containsExactly(ObdPid.FUEL_LEVEL, ObdPid.VEHICLE_SPEED);
    }

    @Test
    void unknownOrRepeatedObdPid_isRefused_namingTheValidOnes() {
        Map<String, String> m = minimal();
        m.put("can.obd.pids", "FUEL_LEVEL,FUEL");
        assertThatThrownBy(() -> AgentConfigLoader.fromMap(m, null)).isInstanceOf(AgentConfigException.class)
                .hasMessage("can.obd.pids: unknown PID 'FUEL' (known: ENGINE_SPEED, VEHICLE_SPEED, FUEL_LEVEL, ODOMETER)");

        m.put("can.obd.pids", "FUEL_LEVEL,fuel_level");
        assertThatThrownBy(() -> AgentConfigLoader.fromMap(m, null)).hasMessage("can.obd.pids: FUEL_LEVEL is listed twice");
    }

    @Test
    void nonPositiveObdInterval_isRefused() {
        Map<String, String> m = minimal();
        m.put("can.obd.pids", "FUEL_LEVEL");
        m.put("can.obd.interval", "0ms");
        assertThatThrownBy(() -> AgentConfigLoader.fromMap(m, null)).isInstanceOf(AgentConfigException.class)
                .hasMessageStartingWith("can.obd.interval: expected a positive duration");

        m.put("can.obd.interval", "PT-1S");
        assertThatThrownBy(() -> AgentConfigLoader.fromMap(m, null)).hasMessageStartingWith("can.obd.interval: expected a positive duration");
    }

    @Test
    void obdPids_withHardwareButNoCanBus_areRefused() {
        Map<String, String> m = minimal();
        m.put("hardware.locks", "simulated");
        m.put("hardware.gnss", "simulated");
        m.put("can.obd.pids", "FUEL_LEVEL");

        assertThatThrownBy(() -> AgentConfigLoader.fromMap(m, null)).isInstanceOf(AgentConfigException.class)
                .hasMessageStartingWith("can.obd.pids: OBD-II polling needs a CAN bus, but hardware.can is none");

        m.put("hardware.can", "socketcan");
        m.put("hardware.can.profile", "hyundai_i30_2014");
        assertThat(AgentConfigLoader.fromMap(m, null).obdPids()).containsExactly(ObdPid.FUEL_LEVEL);
    }

    @Test
    void journalKeys_areReadWithUnits_andABoundBelowTwoSegmentsIsRefused() {
        Map<String, String> m = minimal();
        m.put("journal.max-bytes", "8MiB");
        m.put("journal.fsync-interval", "250ms");
        AgentConfig c = AgentConfigLoader.fromMap(m, null);
        assertThat(c.journal().maxBytes()).isEqualTo(8L * 1024 * 1024);
        assertThat(c.journal().fsyncInterval()).isEqualTo(Duration.ofMillis(250));

        m.put("journal.max-bytes", "1MiB");
        assertThatThrownBy(() -> AgentConfigLoader.fromMap(m, null)).isInstanceOf(AgentConfigException.class)
                .hasMessageStartingWith("journal.max-bytes: must hold at least two segments");
        m.put("journal.max-bytes", "lots");
        assertThatThrownBy(() -> AgentConfigLoader.fromMap(m, null)).hasMessageStartingWith("journal.max-bytes: expected a size");
    }
}
