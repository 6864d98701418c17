package io.latchkey.simulator.car;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.latchkey.hal.can.obd.ObdPid;
import io.latchkey.hal.can.obd.ObdPoller;
import io.latchkey.hal.gnss.GnssFix;
import io.latchkey.hal.lock.LockState;
import io.latchkey.hal.vehicle.Vss;
import io.latchkey.simulator.route.GeoPoint;
import io.latchkey.simulator.route.StreetGrid;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SimulatedCarTest {
    private static final GeoPoint HOME = new GeoPoint(52.52, 13.405);
    /** One step of OBD-II PID 0x2F: 100/255 %. */
    private static final double FUEL_STEP = 100.0 / 255;
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T17:00:00Z"), ZoneOffset.UTC);
    private final CarProfiles profiles = new CarProfiles();

    private SimulatedCar car(String profile) {
        VehicleModel model = new VehicleModel(new StreetGrid(HOME, 120, 8, new SplittableRandom(1)), HOME,
                profiles.get(profile).powertrain(), 12_034.5, 63);
        return new SimulatedCar("dev-1", model, profiles.get(profile), clock, Duration.ZERO);
    }

    /** What the agent runs with {@code can.obd.pids=FUEL_LEVEL}: one request, answered at once on the simulated bus. */
    private static double fuelOverObd(CarHarness h) {
        try (ObdPoller poller = new ObdPoller(h.canBus(), h.signals(), List.of(ObdPid.FUEL_LEVEL))) {
            poller.pollNext();
            assertThat(poller.responses()).as("the ECU answered").isEqualTo(1);
        }
        return h.signals().value(Vss.FUEL_LEVEL).orElseThrow();
    }

    @Test
    void unlockRelay_drivesTheFeedbackToUnlocked_andLockRelayBackToLocked() {
        SimulatedCar car = car("hyundai_i30_2014");
        CarHarness h = car.attach();
        List<LockState> seen = new ArrayList<>();
        h.doorLocks().addListener(seen::add);
        assertThat(h.doorLocks().state()).isEqualTo(LockState.LOCKED);

        h.doorLocks().pulseUnlock();
        assertThat(h.doorLocks().state()).isEqualTo(LockState.UNLOCKED);
        h.doorLocks().pulseLock();

        assertThat(h.doorLocks().state()).isEqualTo(LockState.LOCKED);
        assertThat(seen).containsExactly(LockState.UNLOCKED, LockState.LOCKED);
        assertThat(car.activations()).extracting(RelayActivation::kind)
                .containsExactly(RelayActivation.Kind.UNLOCK, RelayActivation.Kind.LOCK);
        assertThat(car.activations()).allSatisfy(a -> assertThat(a.at()).isEqualTo(clock.instant()));
    }

    @Test
    void lockRelay_withADoorOpen_leavesTheCarUnlocked() {
        SimulatedCar car = car("hyundai_i30_2014");
        CarHarness h = car.attach();
        h.doorLocks().pulseUnlock();
        car.openDoor(VehicleModel.Door.PASSENGER);

        h.doorLocks().pulseLock();

        assertThat(h.doorLocks().state()).isEqualTo(LockState.UNLOCKED);
        assertThat(car.lockActivations()).as("the relay did fire").isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hyundai_i30_2014", "ford_cgea1_2_bodycan_2011", "tesla_model_s"})
    void speedAndDriverDoor_reachTheAgent_throughTheProfilesCanFrames(String profile) {
        SimulatedCar car = car(profile);
        CarHarness h = car.attach();
        car.openDoor(VehicleModel.Door.DRIVER);
        car.ignition(true);
        car.drive(30);
        car.tick(Duration.ofSeconds(1));
        car.tick(Duration.ofSeconds(1));

        assertThat(h.signals().value(Vss.SPEED).orElseThrow()).isCloseTo(20.0, within(0.1));
        assertThat(h.signals().value(Vss.DRIVER_DOOR_OPEN)).contains(1.0);
        assertThat(h.signals().value(Vss.IGNITION_ON)).contains(1.0);
        assertThat(h.signals().value(Vss.SUPPLY_VOLTAGE)).contains(14.2);

        car.closeDoor(VehicleModel.Door.DRIVER);
        assertThat(h.signals().value(Vss.DRIVER_DOOR_OPEN)).contains(0.0);
    }

    @Test
    void takingTheKeyOut_reachesTheAgentOnItsKeyInput_andSwitchesTheIgnitionOff() {
        SimulatedCar car = car("hyundai_i30_2014");
        CarHarness h = car.attach();
        car.ignition(true);
        car.tick(Duration.ofSeconds(1));
        assertThat(h.signals().value(io.latchkey.hal.vehicle.AgentSignals.KEY_IN_HOLDER)).contains(1.0);

        car.keyInHolder(false);
        car.tick(Duration.ofSeconds(1));

        assertThat(h.signals().value(io.latchkey.hal.vehicle.AgentSignals.KEY_IN_HOLDER)).contains(0.0);
        assertThat(h.signals().value(Vss.IGNITION_ON)).contains(0.0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hyundai_i30_2014", "ford_cgea1_2_bodycan_2011"})
    void odometer_reachesTheAgent_fromCanWhereTheProfileHasIt(String profile) {
        CarHarness h = car(profile).attach();

        assertThat(h.signals().value(Vss.TRAVELED_DISTANCE).orElseThrow()).isCloseTo(12_034.5, within(1.0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"hyundai_i30_2014", "ford_cgea1_2_bodycan_2011"})
    void fuelLevel_reachesTheAgentOnlyOverObd_withinOneStep_andFallsAsTheCarDrives(String profile) {
        SimulatedCar car = car(profile);
        CarHarness h = car.attach();
        assertThat(h.signals().value(Vss.FUEL_LEVEL)).as("nothing writes fuel into the signal table").isEmpty();

        double parked = fuelOverObd(h);
        assertThat(parked).isCloseTo(63.0, within(FUEL_STEP / 2));

        car.ignition(true);
        car.drive(50);
        for (int i = 0; i < 600; i++) {
            car.tick(Duration.ofSeconds(1)); // about 8 km at 0.14 %/km: three steps of the PID
        }
        double model = 63 - (car.odometerKm() - 12_034.5) * Powertrain.COMBUSTION.percentPerKm();
        double driven = fuelOverObd(h);

        assertThat(driven).isCloseTo(model, within(FUEL_STEP / 2)).isLessThan(parked - 2 * FUEL_STEP);
    }

    @Test
    void electricCar_reportsStateOfCharge_andItsEcuLeavesFuelUnanswered() {
        CarHarness h = car("tesla_model_s").attach();
        ObdPoller poller = new ObdPoller(h.canBus(), h.signals(), List.of(ObdPid.FUEL_LEVEL));
        poller.pollNext();
        poller.pollNext();

        assertThat(h.signals().value(Vss.BATTERY_SOC)).contains(63.0);
        assertThat(h.signals().value(Vss.FUEL_LEVEL)).isEmpty();
        assertThat(poller.responses()).isZero();
        assertThat(poller.unanswered()).isEqualTo(1);
    }

    @Test
    void position_reachesTheAgent_asNmeaParsedByTheRealReceiver() {
        SimulatedCar car = car("hyundai_i30_2014");
        CarHarness h = car.attach();

        GnssFix fix = h.gnss().latest().orElseThrow();
        assertThat(fix.hasPosition()).isTrue();
        assertThat(fix.mode()).isEqualTo(GnssFix.MODE_3D);
        assertThat(fix.lat()).isCloseTo(52.52, within(1e-6));
        assertThat(fix.lon()).isCloseTo(13.405, within(1e-6));
        assertThat(fix.time()).isEqualTo(clock.instant());
        assertThat(h.gnss().rejectedLines()).isZero();
    }

    @Test
    void gnssLost_sendsNoFix_orNothing() {
        SimulatedCar car = car("hyundai_i30_2014");
        CarHarness h = car.attach();

        car.gnss(GnssCondition.NO_FIX);
        car.tick(Duration.ofSeconds(1));
        assertThat(h.gnss().latest().orElseThrow().hasPosition()).isFalse();

        car.gnss(GnssCondition.SILENT);
        CarHarness rebooted = car.attach();
        car.tick(Duration.ofSeconds(1));
        assertThat(rebooted.gnss().latest()).isEmpty();
    }

    @Test
    void lowSupplyVoltage_isWhatTheAgentReads() {
        SimulatedCar car = car("ford_cgea1_2_bodycan_2011");
        CarHarness h = car.attach();

        car.restingVolts(11.4);

        assertThat(h.signals().value(Vss.SUPPLY_VOLTAGE)).contains(11.4);
    }

    @Test
    void attach_putsTheEcuOnTheFreshBus() {
        SimulatedCar car = car("hyundai_i30_2014");
        car.attach();
        CarHarness fresh = car.attach();

        assertThat(fuelOverObd(fresh)).isCloseTo(63.0, within(FUEL_STEP / 2));
    }

    @Test
    void attach_givesARestartedAgentFreshHardware_andTheOldHarnessHearsNothingMore() {
        SimulatedCar car = car("tesla_model_s");
        CarHarness old = car.attach();
        CarHarness fresh = car.attach();
        car.openDoor(VehicleModel.Door.DRIVER);

        assertThat(fresh.signals().value(Vss.DRIVER_DOOR_OPEN)).contains(1.0);
        assertThat(old.signals().value(Vss.DRIVER_DOOR_OPEN)).contains(0.0);
    }

    @Test
    void immobiliserRelay_cutsTheStarter_andSurvivesAnAgentRestart() {
        SimulatedCar car = car("ford_cgea1_2_bodycan_2011");
        CarHarness h = car.attach();
        h.immobiliser().immobilise();
        assertThat(car.isImmobilised()).isTrue();

        car.ignition(true);
        car.drive(30);
        car.tick(Duration.ofSeconds(2));
        assertThat(car.speedKmh()).as("the starter is cut").isZero();

        CarHarness restarted = car.attach();
        assertThat(restarted.immobiliser().isImmobilised()).isTrue();
        restarted.immobiliser().mobilise();
        car.tick(Duration.ofSeconds(2));
        assertThat(car.speedKmh()).isGreaterThan(0);
    }

    @Test
    void everyDoorOpensAndCloses_onItsOwnSignal() {
        SimulatedCar car = car("ford_cgea1_2_bodycan_2011");
        CarHarness h = car.attach();

        car.openDoor(VehicleModel.Door.REAR_LEFT);
        assertThat(h.signals().value(Vss.REAR_LEFT_DOOR_OPEN)).contains(1.0);
        assertThat(h.signals().value(Vss.REAR_RIGHT_DOOR_OPEN)).contains(0.0);
        assertThat(h.signals().value(Vss.DRIVER_DOOR_OPEN)).contains(0.0);

        car.closeDoor(VehicleModel.Door.REAR_LEFT);
        assertThat(h.signals().value(Vss.REAR_LEFT_DOOR_OPEN)).contains(0.0);
    }

    @Test
    void anUnpluggedCanTap_leavesTheAgentWithoutSpeed() {
        SimulatedCar car = car("ford_cgea1_2_bodycan_2011");
        car.canWired(false);
        CarHarness h = car.attach();

        assertThat(h.signals().value(Vss.SPEED)).isEmpty();
        assertThat(h.signals().value(Vss.IGNITION_ON)).as("the ignition is a GPIO input, not CAN").contains(0.0);
    }

    @Test
    void anElectricCarWhoseProfileCarriesSoc_sendsItAsCanFrames_decodedByTheAgentsProfile() {
        SimulatedCar car = car("gm_global_a_lowspeed_ev");
        assertThat(car.profile().powertrain()).isEqualTo(Powertrain.ELECTRIC);
        List<io.latchkey.hal.can.CanFrame> frames = new ArrayList<>();
        CarHarness h = car.attach();
        h.canBus().addListener(frames::add);

        car.tick(Duration.ofSeconds(1));

        // 63 % in steps of 0.39216 %: the real decoder's value, not one written into the table
        assertThat(h.signals().value(Vss.BATTERY_SOC).orElseThrow()).isCloseTo(63.0, within(0.2));
        assertThat(h.signals().value(Vss.TRAVELED_DISTANCE).orElseThrow()).isCloseTo(12_034.5, within(1.0 / 64));
        assertThat(frames).anyMatch(f -> f.extended() && f.id() == 0x784000);
    }
}
