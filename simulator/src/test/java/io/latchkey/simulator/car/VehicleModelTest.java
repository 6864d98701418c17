package io.latchkey.simulator.car;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VehicleModelTest {
    private final VehicleModel model = new VehicleModel(52.52, 13.405, 2_000, 10_000, 80, new SplittableRandom(42));

    @Test
    void parkedCar_withTheIgnitionOff_doesNotMoveEvenWhenAskedTo() {
        model.drive(50);
        for (int i = 0; i < 60; i++) {
            model.step(Duration.ofSeconds(1));
        }

        assertThat(model.speedKmh()).isZero();
        assertThat(model.lat()).isEqualTo(52.52);
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
        assertThat(model.fuelPercent()).isLessThan(80).isGreaterThan(79.8);
        assertThat(model.distanceFromHomeM()).isGreaterThan(0);
    }

    @Test
    void wanderingCar_staysNearHome() {
        model.ignition(true);
        model.drive(100);
        for (int i = 0; i < 3_600; i++) {
            model.step(Duration.ofSeconds(1));
        }

        assertThat(model.distanceFromHomeM()).isLessThan(2_000 + 100);
        assertThat(model.odometerKm()).isGreaterThan(10_090);
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
