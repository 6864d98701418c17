package io.latchkey.cloud.rental;

import io.latchkey.cloud.store.JsonCollection;
import io.latchkey.cloud.store.Stores;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Reads and writes each tenant's {@link RentalPolicy} ({@code rental-policy/policy}). */
@Singleton
public class RentalPolicies {
    private static final String ID = "policy";

    private final Stores stores;
    private final Clock clock;

    public RentalPolicies(Stores stores, Clock clock) {
        this.stores = stores;
        this.clock = clock;
    }

    public RentalPolicy get(String tenant) {
        return policies(tenant).get(ID).orElse(RentalPolicy.DEFAULT);
    }

    /** Sets the policy; returns the one that was in force before. */
    RentalPolicy set(String tenant, boolean immobiliseWhenIdle, String by) {
        RentalPolicy[] before = new RentalPolicy[1];
        RentalPolicy next = new RentalPolicy(immobiliseWhenIdle, clock.instant(), by);
        policies(tenant).upsert(ID, RentalPolicy.DEFAULT, current -> {
            before[0] = current;
            return next;
        });
        return before[0];
    }

    private JsonCollection<RentalPolicy> policies(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), "rental-policy", RentalPolicy.class);
    }
}
