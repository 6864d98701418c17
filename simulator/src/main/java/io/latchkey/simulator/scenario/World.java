package io.latchkey.simulator.scenario;

import io.latchkey.simulator.api.ApiTypes.CarDetail;
import io.latchkey.simulator.api.ApiTypes.DeviceDiscovery;
import io.latchkey.simulator.car.SimulatedCar;
import io.latchkey.simulator.fleet.Fleet;
import java.util.List;

/**
 * What {@link TenantBootstrap} set up: a tenant, its people (as access tokens), its cars, and the
 * running fleet of simulated cars behind them.
 *
 * @param strangerToken a borrower of the tenant who holds no booking
 * @param borrowerSignIn the borrower's e-mail and (generated) password, for a person to sign in to the app
 * @param operatorSignIn the operator's e-mail and (generated) password, for a person to sign in to the console
 */
public record World(String tenant, String adminToken, String operatorToken, String borrowerToken, String strangerToken,
                    DeviceDiscovery discovery, List<CarDetail> cars, Fleet fleet, SignIn borrowerSignIn,
                    SignIn operatorSignIn) {

    /** An e-mail and password made up for the run. */
    public record SignIn(String email, String password) {
        @Override
        public String toString() {
            return "SignIn[" + email + "]";
        }
    }

    public CarDetail car(int index) {
        return cars.get(index);
    }

    /** The index of the car with this id, or -1. */
    public int indexOf(String carId) {
        for (int i = 0; i < cars.size(); i++) {
            if (cars.get(i).id().equals(carId)) {
                return i;
            }
        }
        return -1;
    }

    public SimulatedCar simulatedCar(int index) {
        return fleet.car(cars.get(index).deviceId());
    }
}
