package io.latchkey.hal.can;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.latchkey.hal.can.dbc.DbcEncoder;
import io.latchkey.hal.vehicle.MutableVehicleSignals;
import io.latchkey.hal.vehicle.Vss;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The built-in profiles driven through a simulated bus, frames built by the DBC encoder (as the simulator does). */
class CanVehicleSignalsTest {
    private final SimulatedCanBus bus = new SimulatedCanBus();
    private final MutableVehicleSignals signals = new MutableVehicleSignals();

    private DbcEncoder attach(String profileName) {
        VehicleProfile profile = VehicleProfile.builtIn(profileName);
        bus.addListener(new CanVehicleSignals(profile.builtInDbc(), profile, signals));
        return new DbcEncoder(profile.builtInDbc());
    }

    @ParameterizedTest
    @ValueSource(strings = {"hyundai_i30_2014", "ford_cgea1_2_bodycan_2011", "tesla_model_s", "gm_global_a_lowspeed_ev"})
    void builtInProfiles_fitTheirDbc(String name) {
        assertThat(CanVehicleSignals.builtIn(name, signals)).isNotNull();
    }

    @Test
    void hyundai_speedOdometerAndDriverDoor() {
        DbcEncoder hyundai = attach("hyundai_i30_2014");
        bus.inject(hyundai.encode("CLU1", Map.of("CF_Clu_Vanz", 52.5, "CF_Clu_Odometer", 63390.0)));
        bus.inject(hyundai.encode("CLU2", Map.of("CF_Clu_DrvDrSw", 2)));
        assertThat(signals.value(Vss.SPEED)).hasValue(52.5);
        assertThat(signals.value(Vss.TRAVELED_DISTANCE).orElseThrow()).isCloseTo(63390.0, within(1e-6));
        assertThat(signals.value(Vss.DRIVER_DOOR_OPEN)).hasValue(1.0);
        assertThat(signals.value(Vss.PASSENGER_DOOR_OPEN)).hasValue(0.0);
    }

    @Test
    void ford_lockStatusIsMapped_andDoorsAreBigEndianBits() {
        DbcEncoder ford = attach("ford_cgea1_2_bodycan_2011");
        bus.inject(ford.encode("Vehicle_Lock_Status", Map.of("Veh_Lock_Status", 1)));
        assertThat(signals.value(Vss.IS_LOCKED)).hasValue(1.0);
        bus.inject(ford.encode("Vehicle_Lock_Status", Map.of("Veh_Lock_Status", 2)));
        assertThat(signals.value(Vss.IS_LOCKED)).hasValue(0.0);
        bus.inject(CanFrame.standard(0x3B1, 0x80, 0, 0, 0, 0, 0, 0, 0));
        assertThat(signals.value(Vss.DRIVER_DOOR_OPEN)).hasValue(1.0);
        assertThat(signals.value(Vss.TRUNK_OPEN)).hasValue(0.0);
        bus.inject(ford.encode("Engine_Data_MS", Map.of("VEH_SPD", 88.0)));
        assertThat(signals.value(Vss.SPEED).orElseThrow()).isCloseTo(88.0, within(1e-9));
    }

    @Test
    void gmEv_stateOfChargeAndOdometer_fromHandBuiltExtendedFrames() {
        attach("gm_global_a_lowspeed_ev");
        // Hybrid_Information_SuperSlow_LS (DBC id 2155364352 = extended 0x784000): CstmrUsblSOC 15|8@0+,
        // byte 1 entirely, 0.39216 % per bit. 204 -> 80.0 %.
        bus.inject(CanFrame.data(0x784000, true, new byte[] {0, (byte) 204, 0, 0, 0}, null));
        assertThat(signals.value(Vss.BATTERY_SOC).orElseThrow()).isCloseTo(80.0, within(0.01));
        // Vehicle_Odo_LS (2154561536 = extended 0x6C0000): VehOdo 7|32@0+, bytes 0..3 big-endian, 1/64 km.
        // 12345.5 km = 790112 = 0x000C0E60.
        bus.inject(CanFrame.data(0x6C0000, true, new byte[] {0x00, 0x0C, 0x0E, 0x60, 0x01}, null));
        assertThat(signals.value(Vss.TRAVELED_DISTANCE).orElseThrow()).isCloseTo(12345.5, within(1e-9));
        // the same id as an 11-bit frame is another message: nothing changes
        bus.inject(CanFrame.data(0x400, false, new byte[] {0, 10, 0, 0, 0}, null));
        assertThat(signals.value(Vss.BATTERY_SOC).orElseThrow()).isCloseTo(80.0, within(0.01));
    }

    @Test
    void gmEv_encoderFrames_roundTripSocDoorsAndPowerMode() {
        DbcEncoder gm = attach("gm_global_a_lowspeed_ev");
        bus.inject(gm.encode("Hybrid_Information_SuperSlow_LS", Map.of("CstmrUsblSOC", 42.35)));
        bus.inject(gm.encode("Vehicle_Speed_Information", Map.of("VehSpdAvgDrvn", 48.5)));
        bus.inject(gm.encode("Left_Rear_Door_Status", Map.of("RLDoorAjarSwAct", 1)));
        bus.inject(gm.encode("System_Power_Mode_LS", Map.of("SysPwrMd", 2)));
        assertThat(signals.value(Vss.BATTERY_SOC).orElseThrow()).isCloseTo(42.35, within(0.2));
        assertThat(signals.value(Vss.SPEED).orElseThrow()).isCloseTo(48.5, within(1e-9));
        assertThat(signals.value(Vss.REAR_LEFT_DOOR_OPEN)).hasValue(1.0);
        assertThat(signals.value(Vss.IGNITION_ON)).as("power mode Run").hasValue(1.0);
        bus.inject(gm.encode("System_Power_Mode_LS", Map.of("SysPwrMd", 0)));
        assertThat(signals.value(Vss.IGNITION_ON)).as("power mode Off").hasValue(0.0);
    }

    @Test
    void tesla_mphBecomesKmh_sna_andInitAreDropped() {
        DbcEncoder tesla = attach("tesla_model_s");
        List<String> changes = new ArrayList<>();
        signals.addListener((name, value) -> changes.add(name + "=" + value));
        bus.inject(tesla.encode("DI_torque2", Map.of("DI_vehicleSpeed", 60.0)));
        assertThat(signals.value(Vss.SPEED).orElseThrow()).isCloseTo(96.56064, within(1e-9));
        bus.inject(tesla.encode("DI_torque2", Map.of("DI_vehicleSpeed", "SNA")));
        assertThat(signals.value(Vss.SPEED).orElseThrow()).as("SNA keeps the last value").isCloseTo(96.56064, within(1e-9));
        bus.inject(tesla.encode("GTW_carState", Map.of("DOOR_STATE_FL", "open", "DOOR_STATE_FR", "Init", "YEAR", 2024)));
        assertThat(signals.value(Vss.DRIVER_DOOR_OPEN)).hasValue(1.0);
        assertThat(signals.value(Vss.PASSENGER_DOOR_OPEN)).isEmpty();
        assertThat(changes).as("speed, FL, RL, RR, boot; FR \"Init\" dropped").hasSize(5);
    }

    @Test
    void framesOfOtherIds_andWrongLengths_changeNothing() {
        attach("tesla_model_s");
        CanVehicleSignals direct = CanVehicleSignals.builtIn("tesla_model_s", signals);
        direct.accept(CanFrame.standard(0x7FF, 1));
        direct.accept(CanFrame.standard(0x118, 1, 2, 3));
        assertThat(signals.snapshot()).isEmpty();
        assertThat(direct.rejectedFrames()).isEqualTo(1);
    }

    @Test
    void profileNamingASignalTheDbcLacks_failsFast_namingIt() {
        VehicleProfile bad = VehicleProfile.read(json("""
                {"vehicle": "x", "dbc": "tesla_can.dbc", "signals": [
                  {"vss": "Vehicle.Speed", "message": "DI_torque2", "signal": "DI_speedo"}]}"""), "bad.json");
        assertThatThrownBy(() -> new CanVehicleSignals(bad.builtInDbc(), bad, signals))
                .isInstanceOf(VehicleProfileException.class).hasMessageContaining("DI_speedo").hasMessageContaining("DI_torque2");
    }

    @Test
    void malformedProfiles_areRefusedWithTheEntry() {
        assertThatThrownBy(() -> VehicleProfile.read(json("{\"vehicle\":\"x\",\"dbc\":\"d\",\"signals\":[{\"vss\":\"speed\",\"message\":\"M\",\"signal\":\"S\"}]}"), "p.json"))
                .isInstanceOf(VehicleProfileException.class).hasMessageContaining("p.json: signals[0].vss");
        assertThatThrownBy(() -> VehicleProfile.read(json("{\"vehicle\":\"x\",\"dbc\":\"d\",\"signals\":[{\"vss\":\"Vehicle.Speed\",\"message\":\"M\",\"signal\":\"S\",\"transform\":{\"nonZero\":true,\"map\":{\"1\":1}}}]}"), "p.json"))
                .isInstanceOf(VehicleProfileException.class).hasMessageContaining("signals[0].transform");
        assertThatThrownBy(() -> VehicleProfile.read(json("{\"vehicle\":\"x\",\"dbc\":\"d\",\"signals\":[],\"extra\":1}"), "p.json"))
                .isInstanceOf(VehicleProfileException.class).hasMessageContaining("p.json");
        assertThatThrownBy(() -> VehicleProfile.builtIn("trabant")).isInstanceOf(VehicleProfileException.class)
                .hasMessageContaining("tesla_model_s");
    }

    private static ByteArrayInputStream json(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
