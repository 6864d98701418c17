package io.latchkey.hal.can.obd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.latchkey.hal.can.CanFrame;
import io.latchkey.hal.can.SimulatedCanBus;
import io.latchkey.hal.vehicle.MutableVehicleSignals;
import io.latchkey.hal.vehicle.Vss;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObdPollerTest {
    private final SimulatedCanBus bus = new SimulatedCanBus();
    private final MutableVehicleSignals signals = new MutableVehicleSignals();

    @Test
    void request_isAPaddedSingleFrameToTheFunctionalAddress() {
        assertThat(ObdFrames.request(0x0D)).hasToString("7DF#02010D0000000000");
    }

    @Test
    void responses_handComputed() {
        ObdPoller poller = new ObdPoller(bus, signals, List.of(ObdPid.values()));
        bus.inject(CanFrame.standard(0x7E8, 0x04, 0x41, 0x0C, 0x1A, 0xF8, 0, 0, 0)); // (0x1A * 256 + 0xF8) / 4 = 1726 rpm
        bus.inject(CanFrame.standard(0x7E8, 0x03, 0x41, 0x0D, 0x32, 0, 0, 0, 0)); // 0x32 = 50 km/h
        bus.inject(CanFrame.standard(0x7E9, 0x03, 0x41, 0x2F, 0x80, 0, 0, 0, 0)); // 100 * 128 / 255 %
        bus.inject(CanFrame.standard(0x7E8, 0x06, 0x41, 0xA6, 0x00, 0x01, 0xE2, 0x40, 0)); // 0x0001E240 / 10 = 12345.6 km
        assertThat(signals.value(Vss.ENGINE_SPEED)).hasValue(1726.0);
        assertThat(signals.value(Vss.SPEED)).hasValue(50.0);
        assertThat(signals.value(Vss.FUEL_LEVEL).orElseThrow()).isCloseTo(50.196, within(0.001));
        assertThat(signals.value(Vss.TRAVELED_DISTANCE).orElseThrow()).isCloseTo(12345.6, within(1e-9));
        assertThat(poller.responses()).isEqualTo(4);
    }

    @Test
    void negativeTruncatedAndForeignFrames_areCounted_notApplied() {
        ObdPoller poller = new ObdPoller(bus, signals, List.of(ObdPid.VEHICLE_SPEED));
        bus.inject(CanFrame.standard(0x7E8, 0x03, 0x7F, 0x01, 0x12, 0, 0, 0, 0)); // negative response
        bus.inject(CanFrame.standard(0x7E8, 0x03, 0x41));                         // truncated
        bus.inject(CanFrame.standard(0x7E8, 0x10, 0x14, 0x49, 0x02, 0x01, 0x31, 0x47, 0x31)); // multi-frame (VIN)
        bus.inject(CanFrame.standard(0x7E8, 0x04, 0x41, 0x0C, 0x1A, 0xF8, 0, 0, 0)); // a PID we do not poll
        bus.inject(CanFrame.standard(0x123, 0x03, 0x41, 0x0D, 0x32));              // not an ECU response id
        assertThat(signals.snapshot()).isEmpty();
        assertThat(poller.malformed()).isEqualTo(4);
    }

    @Test
    void polling_aSimulatedEcu_roundRobin_withAnUnsupportedPid() {
        SimulatedObdEcu ecu = new SimulatedObdEcu(bus);
        ecu.set(ObdPid.VEHICLE_SPEED, 87);
        ecu.set(ObdPid.ENGINE_SPEED, 2250.25);
        ecu.set(ObdPid.FUEL_LEVEL, 40);
        ObdPoller poller = new ObdPoller(bus, signals, List.of(ObdPid.VEHICLE_SPEED, ObdPid.ENGINE_SPEED, ObdPid.FUEL_LEVEL,
                ObdPid.ODOMETER));
        for (int i = 0; i < 8; i++) {
            poller.pollNext();
        }
        assertThat(bus.sent()).extracting(f -> f.dataByte(2)).containsExactly(0x0D, 0x0C, 0x2F, 0xA6, 0x0D, 0x0C, 0x2F, 0xA6);
        assertThat(signals.value(Vss.SPEED)).hasValue(87.0);
        assertThat(signals.value(Vss.ENGINE_SPEED)).hasValue(2250.25);
        assertThat(signals.value(Vss.FUEL_LEVEL).orElseThrow()).isCloseTo(40.0, within(100.0 / 255 / 2));
        assertThat(signals.value(Vss.TRAVELED_DISTANCE)).isEmpty();
        assertThat(poller.unanswered()).as("odometer asked twice, never answered").isEqualTo(1);
        assertThat(poller.responses()).isEqualTo(6);
    }

    @Test
    void close_stopsRequests_andDetachesFromTheBus() {
        SimulatedObdEcu ecu = new SimulatedObdEcu(bus);
        ecu.set(ObdPid.FUEL_LEVEL, 40);
        ObdPoller poller = new ObdPoller(bus, signals, List.of(ObdPid.FUEL_LEVEL));
        poller.pollNext();

        poller.close();
        poller.pollNext();
        bus.inject(ObdFrames.response(ObdFrames.FIRST_RESPONSE_ID, ObdPid.FUEL_LEVEL.pid(), new byte[]{(byte) 0xFF}));

        assertThat(bus.sent()).hasSize(1);
        assertThat(poller.responses()).isEqualTo(1);
        assertThat(signals.value(Vss.FUEL_LEVEL).orElseThrow()).isCloseTo(40.0, within(100.0 / 255 / 2));
    }

    @Test
    void ecu_refusesValuesItsPidCannotCarry() {
        SimulatedObdEcu ecu = new SimulatedObdEcu(bus);
        assertThatThrownBy(() -> ecu.set(ObdPid.VEHICLE_SPEED, 300)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SimulatedObdEcu(bus, 0x7E0)).isInstanceOf(IllegalArgumentException.class);
    }
}
