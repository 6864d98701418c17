package io.latchkey.hal.can.dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.hal.can.CanFrame;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DbcEncoderTest {
    private static final List<DbcDatabase> REAL = List.of(DbcFiles.load(DbcFiles.HYUNDAI), DbcFiles.load(DbcFiles.FORD),
            DbcFiles.load(DbcFiles.TESLA));

    @Test
    void encode_matchesTheHandComputedBytes() {
        DbcEncoder ford = new DbcEncoder(REAL.get(1));
        CanFrame speed = ford.encode("Engine_Data_MS", Map.of("VEH_SPD", 50.0, "Fuel_Level_State", 2));
        assertThat(speed.toString()).isEqualTo("423#3A98000000800000");
        DbcEncoder tesla = new DbcEncoder(REAL.get(2));
        CanFrame torque = tesla.encode("DI_torque2", Map.of("DI_torqueEstimate", -100, "DI_gear", "DI_GEAR_D",
                "DI_vehicleSpeed", 60.0, "DI_gearRequest", 4, "DI_torque2Counter", 5));
        assertThat(torque.toString()).isEqualTo("118#384FA4460500");
    }

    @Test
    void encode_multiplexed_impliesTheMultiplexor_andRefusesMixedGroups() {
        DbcEncoder tesla = new DbcEncoder(REAL.get(2));
        assertThat(tesla.encode("UI_autopilotControl", Map.of("UI_camBlockLaneCheckDisable", 1)).toString())
                .isEqualTo("3EE#0900000000000000");
        assertThatThrownBy(() -> tesla.encode("UI_autopilotControl", Map.of("UI_camBlockLaneCheckDisable", 1, "UI_hovEnabled", 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiplexor values");
    }

    @Test
    void encode_outOfRange_unknownSignal_unknownLabel_areRefused() {
        DbcEncoder hyundai = new DbcEncoder(REAL.get(0));
        assertThatThrownBy(() -> hyundai.encode("CLU1", Map.of("CF_Clu_Vanz", 300.0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CF_Clu_Vanz").hasMessageContaining("255.5");
        assertThatThrownBy(() -> hyundai.encode("CLU1", Map.of("Nope", 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no signal Nope");
        assertThatThrownBy(() -> new DbcEncoder(REAL.get(2)).encode("GTW_carState", Map.of("DOOR_STATE_FL", "ajar")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no label 'ajar'");
    }
}
