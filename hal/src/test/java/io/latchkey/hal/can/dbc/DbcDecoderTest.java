package io.latchkey.hal.can.dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.latchkey.hal.can.CanFrame;
import org.junit.jupiter.api.Test;

/**
 * Values computed by hand from raw bytes, following the worked examples of the fixtures' README, one
 * test per kind of signal.
 */
class DbcDecoderTest {
    private static final DbcDecoder HYUNDAI = new DbcDecoder(DbcFiles.load(DbcFiles.HYUNDAI));
    private static final DbcDecoder FORD = new DbcDecoder(DbcFiles.load(DbcFiles.FORD));
    private static final DbcDecoder TESLA = new DbcDecoder(DbcFiles.load(DbcFiles.TESLA));

    private static DecodedMessage decode(DbcDecoder decoder, int id, int... bytes) {
        return (DecodedMessage) decoder.decode(CanFrame.standard(id, bytes));
    }

    @Test
    void littleEndian_hyundaiSpeedAndOdometer() {
        // CF_Clu_Vanz 8|9@1+ (0.5): raw = b1 | (b2 & 1) << 8 = 0x164 = 356 -> 178 km/h.
        // CF_Clu_Odometer 40|24@1+ (0.1): raw = b5 | b6 << 8 | b7 << 16 = 0x09AC2C = 633900 -> 63390.0 km.
        // CF_Clu_SPEED_UNIT 6|1@1+: bit 6 of b0.
        DecodedMessage m = decode(HYUNDAI, 0x4F0, 0x40, 0x64, 0x01, 0, 0, 0x2C, 0xAC, 0x09);
        assertThat(m.message().name()).isEqualTo("CLU1");
        assertThat(m.value("CF_Clu_Vanz")).hasValue(178.0);
        assertThat(m.value("CF_Clu_Odometer").getAsDouble()).isCloseTo(63390.0, within(1e-6));
        assertThat(m.value("CF_Clu_SPEED_UNIT")).hasValue(1.0);
    }

    @Test
    void littleEndian_hyundaiDoorAndIgnition() {
        // CF_Clu_IGNSw 0|3@1+: b0 bits 2..0 = 3; CF_Clu_DrvDrSw 6|2@1+: b0 bits 7..6 = 01.
        DecodedMessage m = decode(HYUNDAI, 0x690, 0x43, 0, 0, 0, 0, 0, 0, 0);
        assertThat(m.value("CF_Clu_IGNSw")).hasValue(3.0);
        assertThat(m.value("CF_Clu_DrvDrSw")).hasValue(1.0);
        assertThat(m.value("CF_Clu_AstDrSw")).hasValue(0.0);
    }

    @Test
    void bigEndian_fordSpeedFuelOdometerIgnition() {
        // VEH_SPD 7|16@0+ (0.01,-100): raw = b0 << 8 | b1 = 0x3A98 = 15000 -> 50.0 km/h.
        // Fuel_Level_State 47|2@0+: b5 bits 7..6 = 10 -> 2.
        DecodedMessage speed = decode(FORD, 0x423, 0x3A, 0x98, 0, 0, 0, 0x80, 0, 0);
        assertThat(speed.value("VEH_SPD").getAsDouble()).isCloseTo(50.0, within(1e-9));
        assertThat(speed.value("Fuel_Level_State")).hasValue(2.0);
        // OdometerMasterValue 31|24@0+: raw = b3 << 16 | b4 << 8 | b5 = 0x01E240 = 123456 km.
        // Ignition_Status 7|4@0+: b0 bits 7..4 = 4; Key_In_Ignition_Stat 3|2@0+: b0 bits 3..2 = 01.
        DecodedMessage ignition = decode(FORD, 0x3A0, 0x44, 0, 0, 0x01, 0xE2, 0x40, 0, 0);
        assertThat(ignition.value("OdometerMasterValue")).hasValue(123456.0);
        assertThat(ignition.value("Ignition_Status")).hasValue(4.0);
        assertThat(ignition.value("Key_In_Ignition_Stat")).hasValue(1.0);
    }

    @Test
    void bigEndian_fordLockAndDoors() {
        // Veh_Lock_Status 17|2@0+: b2 bits 1..0 = 10; Veh_Lock_Requestor 39|5@0+: b4 bits 7..3 = 00011.
        DecodedMessage lock = decode(FORD, 0x385, 0, 0, 0x02, 0, 0x18, 0, 0, 0);
        assertThat(lock.value("Veh_Lock_Status")).hasValue(2.0);
        assertThat(lock.value("Veh_Lock_Requestor")).hasValue(3.0);
        // Ajar_Stat b0: bit 7 DF, bit 0 Hood.
        DecodedMessage ajar = decode(FORD, 0x3B1, 0x81, 0, 0, 0, 0, 0, 0, 0);
        assertThat(ajar.value("DF_Door_Ajar_Status")).hasValue(1.0);
        assertThat(ajar.value("PF_Door_Ajar_Status")).hasValue(0.0);
        assertThat(ajar.value("Hood_Ajar_Status")).hasValue(1.0);
    }

    @Test
    void signedLittleEndian_teslaTorque_withLabelsAndSixByteFrame() {
        // DI_torqueEstimate 0|12@1- (0.5): raw = b0 | (b1 & 0x0F) << 8 = 0xF38, 12-bit two's complement -200 -> -100 Nm.
        // DI_gear 12|3@1+: b1 bits 6..4 = 100 = 4 "DI_GEAR_D".
        // DI_vehicleSpeed 16|12@1+ (0.05,-25): raw = b2 | (b3 & 0x0F) << 8 = 0x6A4 = 1700 -> 60 MPH.
        // DI_gearRequest 28|3@1+: b3 bits 6..4 = 4; DI_torque2Counter 32|4@1+: b4 low nibble = 5.
        DecodedMessage m = decode(TESLA, 0x118, 0x38, 0x4F, 0xA4, 0x46, 0x05, 0x00);
        assertThat(m.value("DI_torqueEstimate")).hasValue(-100.0);
        assertThat(m.value("DI_gear")).hasValue(4.0);
        assertThat(m.labels()).containsEntry("DI_gear", "DI_GEAR_D").containsEntry("DI_gearRequest", "DI_GEAR_D");
        assertThat(m.value("DI_vehicleSpeed").getAsDouble()).isCloseTo(60.0, within(1e-9));
        assertThat(m.value("DI_torque2Counter")).hasValue(5.0);
    }

    @Test
    void bigEndian_teslaEspSpeed_withFloat32Factor() {
        // ESP_vehicleSpeed 47|16@0+ (0.00999999978): MSB is b5 bit 7, so raw = b5 << 8 | b6 = 0x2710 = 10000.
        DecodedMessage m = decode(TESLA, 0x155, 0, 0, 0, 0, 0, 0x27, 0x10, 0);
        assertThat(m.value("ESP_vehicleSpeed").getAsDouble()).isCloseTo(99.9999978, within(1e-9));
    }

    @Test
    void multiplexed_onlyTheActiveGroupIsDecoded_evenWhereGroupsOverlap() {
        // UI_autopilotControlIndex 0|3 M; UI_hovEnabled m0 and UI_camBlockLaneCheckDisable m1 both at bit 3.
        DecodedMessage zero = decode(TESLA, 0x3EE, 0x08, 0, 0, 0, 0, 0, 0, 0);
        assertThat(zero.value("UI_autopilotControlIndex")).hasValue(0.0);
        assertThat(zero.value("UI_hovEnabled")).hasValue(1.0);
        assertThat(zero.value("UI_camBlockLaneCheckDisable")).isEmpty();
        DecodedMessage one = decode(TESLA, 0x3EE, 0x09, 0, 0, 0, 0, 0, 0, 0);
        assertThat(one.value("UI_camBlockLaneCheckDisable")).hasValue(1.0);
        assertThat(one.value("UI_hovEnabled")).isEmpty();
        assertThat(one.values()).doesNotContainKey("UI_blindspotMinSpeed");
        // UI_roadSign 0|8 M = 1; UI_stopSignStopLineDist m1 8|10@1+ (0.25,-8): raw = b1 | (b2 & 3) << 8 = 0x190 = 400 -> 92 m.
        DecodedMessage sign = decode(TESLA, 0x238, 0x01, 0x90, 0x01, 0, 0, 0, 0, 0);
        assertThat(sign.value("UI_stopSignStopLineDist")).hasValue(92.0);
        assertThat(sign.value("UI_trafficLightStopLineDist")).isEmpty();
    }

    @Test
    void doorLabel_teslaGatewayState() {
        // DOOR_STATE_FL 12|2@1+: b1 bits 5..4 = 01 "open"; YEAR 0|7 (1, 2000): b0 = 24 -> 2024.
        DecodedMessage m = decode(TESLA, 0x318, 24, 0x10, 0, 0, 0, 0, 0, 0);
        assertThat(m.labels()).containsEntry("DOOR_STATE_FL", "open").containsEntry("DOOR_STATE_FR", "closed");
        assertThat(m.value("YEAR")).hasValue(2024.0);
    }

    @Test
    void signedBigEndian_andUnsigned64_fromAnInlineDbc() {
        DbcDecoder decoder = new DbcDecoder(DbcParser.parse("""
                BO_ 16 T: 8 X
                 SG_ Temp : 7|12@0- (0.1,0) [0|0] "degC" X
                 SG_ Rest : 23|48@0+ (1,0) [0|0] "" X
                BO_ 17 W: 8 X
                 SG_ Whole : 0|64@1+ (1,0) [0|0] "" X
                """, "inline"));
        // Temp: MSB b0 bit 7, 12 bits: raw = b0 << 4 | b1 >> 4 = 0xFF6 = -10 -> -1.0 degC.
        DecodedMessage t = (DecodedMessage) decoder.decode(CanFrame.standard(16, 0xFF, 0x60, 0, 0, 0, 0, 0, 1));
        assertThat(t.value("Temp")).hasValue(-1.0);
        assertThat(t.value("Rest")).hasValue(1.0);
        byte[] ones = {-1, -1, -1, -1, -1, -1, -1, -1};
        DecodedMessage w = (DecodedMessage) decoder.decode(CanFrame.data(17, false, ones, null));
        assertThat(w.value("Whole")).hasValue(18446744073709551615.0);
    }

    @Test
    void unknownId_wrongLength_andRemoteFrames_areReported() {
        assertThat(TESLA.decode(CanFrame.standard(0x7FF, 1, 2))).isInstanceOfSatisfying(DecodeResult.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(DecodeResult.Reason.UNKNOWN_ID));
        assertThat(TESLA.decode(CanFrame.standard(0x118, 1, 2, 3, 4, 5, 6, 7, 8))).isInstanceOfSatisfying(DecodeResult.Rejected.class,
                r -> assertThat(r.describe()).isEqualTo("id 0x118 (DI_torque2) has 8 bytes, the DBC says 6"));
        assertThat(TESLA.decode(CanFrame.remote(0x118, false, 6, null))).isInstanceOfSatisfying(DecodeResult.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(DecodeResult.Reason.REMOTE_FRAME));
        assertThat(TESLA.decode(CanFrame.data(0x118, true, new byte[6], null))).isInstanceOfSatisfying(DecodeResult.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(DecodeResult.Reason.UNKNOWN_ID));
    }
}
