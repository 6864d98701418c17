package io.latchkey.simulator.car;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.simulator.route.GeoPoint;
import io.latchkey.simulator.route.StreetGrid;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VehicleModelTest {
    private static final GeoPoint HOME = new GeoPoint(52.52, 13.405);
    private final StreetGrid grid = new StreetGrid(HOME, 120, 8, new SplittableRandom(42));
    private final VehicleModel model = new VehicleModel(grid, HOME, Powertrain.COMBUSTION, 10_000, 80);

    @Test
    void parkedCar_withTheIgnitionOff_doesNotMoveEvenWhenAskedTo() {
        model.drive(50);
        for (int i = 0; i < 60; i++) {
            model.step(Duration.ofSeconds(1));
        }

        assertThat(model.speedKmh()).isZero();
        assertThat(model.position()).isEqualTo(HOME);
        assertThat(model.odometerKm()).isEqualTo(10_000);
    }

    @Test
    void drivingCar_acceleratesGently_coversDistance_andBurnsFuel() {
        model.ignition(true);
        model.drive(36);
        model.step(Duration.ofSeconds(1));
        assertThat(model.speedKmh()).isEqualTo(10.0);

        for (int i = 0; i < 100; i++) {
            model.step(Duration.ofSeconds(1));
        }

        assertThat(model.speedKmh()).isEqualTo(36.0);
        // about 10 m/s for ~100 s, less the ramp-up
        assertThat(model.odometerKm() - 10_000).isBetween(0.9, 1.0);
        assertThat(model.energyPercent()).isLessThan(80).isGreaterThan(79.8);
        assertThat(model.position().distanceM(HOME)).isGreaterThan(0);
    }

    @Test
    void drivingCar_followsTheStreets_andStaysOnTheGrid() {
        model.ignition(true);
        model.drive(100);
        for (int i = 0; i < 3_600; i++) {
            model.step(Duration.ofSeconds(1));
            GeoPoint p = model.position();
            double northBlocks = HOME.distanceM(new GeoPoint(p.lat(), HOME.lon())) / 120;
            double eastBlocks = HOME.distanceM(new GeoPoint(HOME.lat(), p.lon())) / 120;
            // On a street: on a whole number of blocks north or east (to a few centimetres).
            double offNorth = Math.abs(northBlocks - Math.round(northBlocks)) * 120;
            double offEast = Math.abs(eastBlocks - Math.round(eastBlocks)) * 120;
            assertThat(Math.min(offNorth, offEast)).isLessThan(0.5);
            assertThat(Math.max(northBlocks, eastBlocks)).isLessThanOrEqualTo(8.01);
        }
        assertThat(model.odometerKm()).isGreaterThan(10_090);
    }

    @Test
    void electricCar_losesChargeWithDistance_andStopsWhenEmpty() {
        VehicleModel ev = new VehicleModel(grid, HOME, Powertrain.ELECTRIC, 0, 0.1);
        ev.ignition(true);
        ev.drive(50);
        for (int i = 0; i < 600; i++) {
            ev.step(Duration.ofSeconds(1));
        }

        assertThat(ev.energyPercent()).isZero();
        assertThat(ev.speedKmh()).isZero();
        assertThat(ev.odometerKm()).isBetween(0.45, 0.6);
    }

    @Test
    void ignition_needsTheKeyInItsHolder_andTakingTheKeyOutSwitchesItOff() {
        assertThat(model.ignition(true)).isTrue();
        assertThat(model.supplyVolts()).isEqualTo(14.2);

        model.keyInHolder(false);

        assertThat(model.ignition()).isFalse();
        assertThat(model.ignition(true)).isFalse();
        assertThat(model.supplyVolts()).isEqualTo(12.6);
    }

    @Test
    void doors_areTrackedOneByOne() {
        model.door(VehicleModel.Door.TRUNK, true);

        assertThat(model.anyDoorOpen()).isTrue();
        assertThat(model.isOpen(VehicleModel.Door.DRIVER)).isFalse();

        model.door(VehicleModel.Door.TRUNK, false);
        assertThat(model.anyDoorOpen()).isFalse();
    }
}
