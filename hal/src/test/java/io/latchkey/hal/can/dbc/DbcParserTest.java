package io.latchkey.hal.can.dbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DbcParserTest {

    @ParameterizedTest
    @CsvSource({"hyundai_i30_2014.dbc,32,415,0", "ford_cgea1_2_bodycan_2011.dbc,102,829,0", "tesla_can.dbc,44,572,1"})
    void realFiles_parseCompletely(String file, int messages, int signals, int warnings) {
        DbcDatabase db = DbcFiles.load(file);
        assertThat(db.messages()).hasSize(messages);
        assertThat(db.messages().stream().mapToInt(m -> m.signals().size()).sum()).isEqualTo(signals);
        assertThat(db.warnings()).hasSize(warnings);
    }

    @Test
    void tesla_valueLabelsForASignalThatIsNotThere_areAWarning_notAFailure() {
        assertThat(DbcFiles.load(DbcFiles.TESLA).warnings())
                .containsExactly("tesla_can.dbc:783: VAL_ for unknown signal 568 UI_mapSpeedLimit ignored");
    }

    @Test
    void tesla_quirks_areRead() {
        DbcDatabase db = DbcFiles.load(DbcFiles.TESLA);
        assertThat(db.messages().stream().flatMap(m -> m.signals().stream())
                .filter(s -> s.multiplexor() || s.isMultiplexed())).hasSize(38);
        DbcSignal speed = db.message("ESP_B").orElseThrow().signal("ESP_vehicleSpeed").orElseThrow();
        assertThat(speed.factor()).isEqualTo(0.00999999978);
        assertThat(speed.byteOrder()).isEqualTo(ByteOrder.BIG_ENDIAN);
        assertThat(speed.receivers()).isNotEmpty();
        DbcSignal door = db.message("GTW_carState").orElseThrow().signal("DOOR_STATE_FL").orElseThrow();
        assertThat(door.valueLabels()).containsEntry(1L, "open").containsEntry(0L, "closed").hasSize(4);
        assertThat(db.valueTables()).hasSize(16).containsKey("DI_gear");
        assertThat(db.message(280, false).orElseThrow().size()).isEqualTo(6);
        DbcSignal torque = db.message("DI_torque1").orElseThrow().signal("DI_torqueDriver").orElseThrow();
        assertThat(torque.signed()).isTrue();
        assertThat(torque.receivers()).containsExactly("NEO");
    }

    @Test
    void hyundai_exponentRange_isRead() {
        DbcSignal odometer = DbcFiles.load(DbcFiles.HYUNDAI).message("CLU1").orElseThrow().signal("CF_Clu_Odometer").orElseThrow();
        assertThat(odometer.maximum()).isEqualTo(1.67772e+006);
        assertThat(odometer.startBit()).isEqualTo(40);
        assertThat(odometer.length()).isEqualTo(24);
    }

    @Test
    void ford_degenerateRanges_areRead() {
        DbcSignal lock = DbcFiles.load(DbcFiles.FORD).message(0x385, false).orElseThrow().signal("Veh_Lock_Status").orElseThrow();
        assertThat(lock.minimum()).isZero();
        assertThat(lock.maximum()).isZero();
        assertThat(lock.byteOrder()).isEqualTo(ByteOrder.BIG_ENDIAN);
    }

    @Test
    void extendedIds_multiplexing_andFloatSignals() {
        DbcDatabase db = DbcParser.parse("""
                VERSION ""
                BO_ 2566844926 Extended: 8 Vector__XXX
                 SG_ Mux M : 0|8@1+ (1,0) [0|255] "" Vector__XXX
                 SG_ Temp m2 : 8|32@1- (1,0) [0|0] "degC" Vector__XXX
                 SG_ Nested m3M : 40|8@1+ (1,0) [0|0] "" Vector__XXX
                SIG_VALTYPE_ 2566844926 Temp : 1;
                """, "inline.dbc");
        DbcMessage m = db.messages().get(0);
        assertThat(m.extended()).isTrue();
        assertThat(m.id()).isEqualTo(0x18FEF1FE);
        assertThat(m.signal("Temp").orElseThrow().valueType()).isEqualTo(ValueType.FLOAT32);
        assertThat(m.signal("Nested").orElseThrow().multiplexerValue()).isEqualTo(3L);
    }

    @Test
    void syntaxError_namesTheLine() {
        String dbc = "VERSION \"\"\n\nBO_ 100 Msg: 8 ECU\n SG_ Speed : 7|16@0+ (0.01,0) [0|0] \"kph\" XXX\n SG_ Broken : 7|x@0+ (1,0) [0|0] \"\" XXX\n";
        assertThatThrownBy(() -> DbcParser.parse(dbc, "bad.dbc"))
                .isInstanceOfSatisfying(DbcParseException.class, e -> assertThat(e.lineNumber()).isEqualTo(5))
                .hasMessageStartingWith("bad.dbc:5: SG_: expected bit length");
    }

    @Test
    void strayLine_afterASignal_isAnErrorOnItsOwnLine() {
        String dbc = "BO_ 100 Msg: 8 ECU\n SG_ Speed : 7|16@0+ (0.01,0) [0|0] \"kph\" XXX\nthis is not dbc\n";
        assertThatThrownBy(() -> DbcParser.parse(dbc, "bad.dbc"))
                .isInstanceOfSatisfying(DbcParseException.class, e -> assertThat(e.lineNumber()).isEqualTo(3));
    }

    @Test
    void badByteOrder_badSign_unclosedString_duplicateId_areErrors() {
        assertThatThrownBy(() -> DbcParser.parse("BO_ 1 A: 8 X\n SG_ S : 0|8@2+ (1,0) [0|0] \"\" X\n", "x"))
                .isInstanceOf(DbcParseException.class).hasMessageContaining("x:2:").hasMessageContaining("byte order");
        assertThatThrownBy(() -> DbcParser.parse("BO_ 1 A: 8 X\n SG_ S : 0|8@1* (1,0) [0|0] \"\" X\n", "x"))
                .isInstanceOf(DbcParseException.class).hasMessageContaining("sign");
        assertThatThrownBy(() -> DbcParser.parse("CM_ \"never closed\nBO_ 1 A: 8 X\n", "x"))
                .isInstanceOf(DbcParseException.class).hasMessageContaining("x:1:").hasMessageContaining("never closed");
        assertThatThrownBy(() -> DbcParser.parse("BO_ 1 A: 8 X\nBO_ 1 B: 8 X\n", "x"))
                .isInstanceOf(DbcParseException.class).hasMessageContaining("x:2:").hasMessageContaining("twice");
        assertThatThrownBy(() -> DbcParser.parse("BO_ 1 A: 8 X\n SG_ S : 60|8@1+ (1,0) [0|0] \"\" X\n", "x"))
                .isInstanceOf(DbcParseException.class).hasMessageContaining("x:2:").hasMessageContaining("past the 8-byte");
        assertThatThrownBy(() -> DbcParser.parse("garbage\n", "x"))
                .isInstanceOf(DbcParseException.class).hasMessageContaining("x:1:");
    }

    @Test
    void commentsAndAttributes_spanningLines_areReadOver() {
        DbcDatabase db = DbcParser.parse("""
                BO_ 1 A: 8 X
                 SG_ S : 0|8@1+ (1,0) [0|0] "" X

                CM_ SG_ 1 S "a comment
                over two lines";
                BA_DEF_ BO_ "GenMsgCycleTime" INT 0 65535;
                BA_ "GenMsgCycleTime" BO_ 1 100;
                VAL_ 1 S 0 "off" 1 "on" ;
                VAL_ 99 Missing 0 "x" ;
                """, "x");
        assertThat(db.messages().get(0).signals().get(0).valueLabels()).containsEntry(1L, "on");
        assertThat(db.warnings()).singleElement().asString().contains("x:9:");
    }
}
