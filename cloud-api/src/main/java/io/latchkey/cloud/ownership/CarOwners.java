package io.latchkey.cloud.ownership;

import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.identity.Roles;
import io.latchkey.cloud.identity.UserAccount;
import io.latchkey.cloud.identity.UserDirectory;
import io.latchkey.cloud.store.JsonCollection;
import io.latchkey.cloud.store.Stores;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Who owns which car ({@code car-owners/{carId}} in the tenant's store). The owner is a user with the
 * {@code owner} role; owner and borrower see each other's e-mail and phone while a booking of the car
 * is active.
 */
@Singleton
public class CarOwners {
    /** One car's owner. */
    public record CarOwner(String carId, String ownerId, Instant since) {
    }

    private final Stores stores;
    private final CarRegistry cars;
    private final UserDirectory users;
    private final Clock clock;

    public CarOwners(Stores stores, CarRegistry cars, UserDirectory users, Clock clock) {
        this.stores = stores;
        this.cars = cars;
        this.users = users;
        this.clock = clock;
    }

    /**
     * @throws io.latchkey.cloud.NotFoundException for an unknown car or user
     * @throws InvalidRequestException             if the user does not hold the owner role
     */
    public CarOwner assign(String tenant, String carId, String ownerId) {
        cars.require(tenant, carId);
        UserAccount owner = users.require(tenant, ownerId);
        if (owner.terminated() || !owner.roles().contains(Roles.OWNER)) {
            throw new InvalidRequestException("user " + ownerId + " does not hold the owner role");
        }
        CarOwner assigned = new CarOwner(carId, ownerId, clock.instant());
        return collection(tenant).upsert(carId, assigned, current -> assigned);
    }

    public Optional<String> ownerOf(String tenant, String carId) {
        return collection(tenant).get(carId).map(CarOwner::ownerId);
    }

    public List<String> carsOf(String tenant, String ownerId) {
        return collection(tenant).all().stream().filter(o -> o.ownerId().equals(ownerId)).map(CarOwner::carId).toList();
    }

    private JsonCollection<CarOwner> collection(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), "car-owners", CarOwner.class);
    }
}
