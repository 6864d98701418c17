package io.latchkey.cloud.command;

import io.latchkey.cloud.car.Car;
import io.latchkey.cloud.booking.CarAccess;
import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.car.CarState;
import io.latchkey.cloud.identity.Caller;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * What a command's checks read on a shared store, issued together (one round trip instead of three): the car, the
 * caller's right to it now ({@link CarAccess}: a borrower's bookings) and the car's state (asleep?). Started by the
 * command service, or ahead of it by {@link CommandReadAhead} while the caller's session is checked. The decisions
 * are taken from it by the command service, in its order, and only for the caller it was read for.
 */
record CheckReads(String tenant, String carId, Caller caller, CompletableFuture<Optional<Car>> car,
                  CompletableFuture<Optional<String>> refusal, CompletableFuture<CarState> state) {

    static CheckReads start(String tenant, String carId, Caller caller, CarRegistry cars, CarAccess access,
                            Executor io) {
        return new CheckReads(tenant, carId, caller,
                CompletableFuture.supplyAsync(() -> cars.find(tenant, carId), io),
                caller.actsForTenant()
                        ? CompletableFuture.completedFuture(access.refusal(tenant, carId, caller))
                        : CompletableFuture.supplyAsync(() -> access.refusal(tenant, carId, caller), io),
                CompletableFuture.supplyAsync(() -> cars.state(tenant, carId), io));
    }

    /** Whether these are the reads for this command's car and caller (else they are not used). */
    boolean isFor(String tenant, String carId, Caller caller) {
        return this.tenant.equals(tenant) && this.carId.equals(carId) && this.caller.equals(caller);
    }
}
