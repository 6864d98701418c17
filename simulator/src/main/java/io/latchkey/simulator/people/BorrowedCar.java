package io.latchkey.simulator.people;

import io.latchkey.simulator.car.SimulatedCar;
import java.time.Instant;

/** A car a borrower uses: its API id and the physical car they sit in. */
final class BorrowedCar {
    final String carId;
    final SimulatedCar car;
    Instant freeFrom = Instant.EPOCH;

    BorrowedCar(String carId, SimulatedCar car) {
        this.carId = carId;
        this.car = car;
    }
}
