package io.latchkey.agent.vehicle;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.agent.MutableClock;
import io.latchkey.hal.gnss.GnssFix;
import io.latchkey.hal.gnss.nmea.NmeaGnss;
import io.latchkey.hal.gnss.nmea.NmeaWriter;
import io.latchkey.hal.gpio.SimulatedDigitalInput;
import io.latchkey.hal.vehicle.AgentSignals;
import io.latchkey.hal.vehicle.InputSignals;
import io.latchkey.hal.vehicle.MutableVehicleSignals;
import io.latchkey.hal.vehicle.Vss;
import io.latchkey.protocol.command.HomeZone;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The checks on simulated hardware: CAN-decoded signals in the signal table, NMEA sentences through the
 * real parser, and the ignition and key-holder contacts as simulated GPIO inputs bound the way the agent
 * binds real ones.
 */
class ReturnChecksTest {
    private static final double HOME_LAT = 52.52;
    private static final double HOME_LON = 13.405;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T17:00:00Z"));
    private final MutableVehicleSignals signals = new MutableVehicleSignals();
    private final NmeaGnss gnss = new NmeaGnss();
    private final SimulatedDigitalInput ignition = new SimulatedDigitalInput("ignition", false);
    private final SimulatedDigitalInput keyHolder = new SimulatedDigitalInput("key-in-holder", true);
    private final VehicleStatus vehicle = new VehicleStatus(signals, gnss, 3.0, clock);
    private final ReturnChecks checks = new ReturnChecks(vehicle);

    /** A car parked at home in order: doors and boot closed, CAN speed 0, ignition off, key in its holder, a fix now. */
    private void parkedInOrder() {
        for (String door : VehicleStatus.DOOR_SIGNALS) {
            signals.update(door, 0);
        }
        signals.update(Vss.SPEED, 0);
        InputSignals.bind(ignition, Vss.IGNITION_ON, signals);
        InputSignals.bind(keyHolder, AgentSignals.KEY_IN_HOLDER, signals);
        fix(HOME_LAT, HOME_LON, 0, clock.instant());
    }

    private void fix(double lat, double lon, double speedKmh, Instant time) {
        for (String line : new NmeaWriter("GN").sentences(new GnssFix(time, GnssFix.MODE_3D, lat, lon, 35.0, speedKmh / 3.6, 90.0))) {
            gnss.acceptLine(line);
        }
        gnss.flush();
    }

    private void noFix(Instant time) {
        for (String line : new NmeaWriter("GN").sentences(new GnssFix(time, GnssFix.MODE_NO_FIX, null, null, null, null, null))) {
            gnss.acceptLine(line);
        }
        gnss.flush();
    }

    @Test
    void aCarParkedInOrder_passesEveryCheck_withAndWithoutAZone() {
        parkedInOrder();

        assertThat(checks.endOfRental(null)).isEmpty();
        assertThat(checks.endOfRental(new HomeZone(HOME_LAT, HOME_LON, 100))).isEmpty();
        assertThat(checks.parked()).isEmpty();
    }

    @Test
    void everyFailedCheck_isNamed_inWordsABorrowerUnderstands() {
        parkedInOrder();
        signals.update(Vss.REAR_LEFT_DOOR_OPEN, 1);
        signals.update(Vss.DRIVER_DOOR_OPEN, 1);
        signals.update(Vss.TRUNK_OPEN, 1);
        ignition.drive(true);
        keyHolder.drive(false);

        assertThat(checks.endOfRental(null)).containsExactly(
                "DOOR_OPEN: driver", "DOOR_OPEN: rear left", "BOOT_OPEN", "IGNITION_ON", "KEY_NOT_IN_HOLDER");
    }

    @Test
    void aCarWithoutAKeyHolder_isNotCheckedForTheKey() {
        for (String door : VehicleStatus.DOOR_SIGNALS) {
            signals.update(door, 0);
        }
        signals.update(Vss.SPEED, 0);
        InputSignals.bind(ignition, Vss.IGNITION_ON, signals);

        assertThat(signals.value(AgentSignals.KEY_IN_HOLDER)).isEmpty();
        assertThat(checks.endOfRental(null)).isEmpty();
    }

    @Test
    void moving_isRefused_byCanSpeed_orByACurrentFixEvenWhenCanSaysZero() {
        parkedInOrder();
        signals.update(Vss.SPEED, 30);
        assertThat(checks.parked()).containsExactly("MOVING");

        signals.update(Vss.SPEED, 0);
        fix(HOME_LAT, HOME_LON, 40, clock.instant());
        assertThat(checks.parked()).containsExactly("MOVING");
        assertThat(checks.endOfRental(null)).contains("MOVING");
    }

    @Test
    void unknownSpeed_failsClosed_noCanSpeedAndNoCurrentFix() {
        parkedInOrder();
        MutableVehicleSignals withoutCan = new MutableVehicleSignals();
        withoutCan.update(Vss.IGNITION_ON, 0);
        NmeaGnss silent = new NmeaGnss();
        ReturnChecks blind = new ReturnChecks(new VehicleStatus(withoutCan, silent, 3.0, clock));

        assertThat(blind.parked()).containsExactly("SPEED_UNKNOWN");
    }

    @Test
    void aStaleFix_isNoSpeed_andNoPosition() {
        MutableVehicleSignals withoutCan = new MutableVehicleSignals();
        withoutCan.update(Vss.IGNITION_ON, 0);
        withoutCan.update(Vss.DRIVER_DOOR_OPEN, 0);
        NmeaGnss receiver = new NmeaGnss();
        ReturnChecks gnssOnly = new ReturnChecks(new VehicleStatus(withoutCan, receiver, 3.0, clock));
        for (String line : new NmeaWriter("GN").sentences(new GnssFix(clock.instant(), GnssFix.MODE_3D, HOME_LAT, HOME_LON,
                35.0, 0.0, 0.0))) {
            receiver.acceptLine(line);
        }
        receiver.flush();
        assertThat(gnssOnly.parked()).as("a fix of now at rest").isEmpty();

        clock.advance(VehicleStatus.CURRENT_FIX.plusSeconds(1));

        assertThat(gnssOnly.parked()).containsExactly("SPEED_UNKNOWN");
        assertThat(gnssOnly.endOfRental(new HomeZone(HOME_LAT, HOME_LON, 100)))
                .containsExactly("SPEED_UNKNOWN", "POSITION_UNKNOWN");
    }

    @Test
    void unknownIgnition_failsClosed() {
        signals.update(Vss.SPEED, 0);

        assertThat(checks.parked()).containsExactly("IGNITION_UNKNOWN");
    }

    @Test
    void outsideTheZone_saysHowFarFromIt_andNoFixIsPositionUnknown() {
        parkedInOrder();
        // 0.004 degrees of latitude north of home: about 445 m from the centre, 345 m beyond a 100 m zone
        fix(HOME_LAT + 0.004, HOME_LON, 0, clock.instant());

        assertThat(checks.endOfRental(new HomeZone(HOME_LAT, HOME_LON, 100)))
                .singleElement().asString().matches("OUTSIDE_HOME_ZONE: 34[4-6] m from the home zone");
        assertThat(checks.endOfRental(null)).as("no zone sent: position not checked").isEmpty();

        noFix(clock.instant());
        assertThat(checks.endOfRental(new HomeZone(HOME_LAT, HOME_LON, 100))).containsExactly("POSITION_UNKNOWN");
    }

    @Test
    void aCarThatReportsNoDoorAtAll_isRefused() {
        signals.update(Vss.SPEED, 0);
        signals.update(Vss.IGNITION_ON, 0);

        assertThat(checks.endOfRental(null)).containsExactly("DOORS_UNKNOWN");
    }

    @Test
    void motion_treatsUnknownAsUnknown_notAsStationary() {
        assertThat(vehicle.motion()).isEqualTo(VehicleStatus.Motion.UNKNOWN);
        assertThat(vehicle.isMoving()).isFalse();
        fix(HOME_LAT, HOME_LON, 0, clock.instant().minus(Duration.ofMinutes(5)));
        assertThat(vehicle.motion()).isEqualTo(VehicleStatus.Motion.UNKNOWN);
        fix(HOME_LAT, HOME_LON, 0, clock.instant());
        assertThat(vehicle.motion()).isEqualTo(VehicleStatus.Motion.STATIONARY);
    }
}
