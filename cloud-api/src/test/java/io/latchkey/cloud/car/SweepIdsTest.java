package io.latchkey.cloud.car;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CarRegistry#idsForSweeps}: the fleet-wide sweeps list a tenant's cars at most every
 * {@link CarRegistry#SWEEP_IDS_FRESH_FOR} per replica; cars registered or seen through this replica join at once,
 * cars registered through another replica with the next listing.
 */
class SweepIdsTest {
    private static final Instant T = Instant.parse("2026-12-06T13:00:00Z");

    @TempDir
    Path dir;

    private SharedRegistries shared;

    @BeforeEach
    void sharedStore() {
        shared = new SharedRegistries(dir, T);
    }

    @Test
    void aListingIsReused_carsRegisteredOrSeenHereJoinAtOnce_anotherReplicasWithTheNextListing() {
        CarRegistry a = shared.replica();
        CarRegistry b = shared.replica();
        a.create("acme", "car-1", "Car 1", "B-LK 1", "dev-1");
        assertThat(a.idsForSweeps("acme")).containsExactly("car-1");
        assertThat(b.idsForSweeps("acme")).containsExactly("car-1");

        a.create("acme", "car-2", "Car 2", "B-LK 2", "dev-2");
        b.create("acme", "car-3", "Car 3", "B-LK 3", "dev-3");
        assertThat(a.idsForSweeps("acme")).as("own registration at once, b's not yet").containsExactly("car-1", "car-2");
        assertThat(b.idsForSweeps("acme")).containsExactly("car-1", "car-3");
        assertThat(a.ids("acme")).as("the listing for people is never stale").containsExactly("car-1", "car-2", "car-3");

        // a car b registered and a has seen (its state read or stored here) joins a's sweeps at once
        a.state("acme", "car-3");
        b.updateState("acme", "car-3", s -> s.withOnline(true, T));
        a.state("acme", "car-3");
        assertThat(a.idsForSweeps("acme")).containsExactly("car-1", "car-2", "car-3");

        b.create("acme", "car-4", "Car 4", "B-LK 4", "dev-4");
        shared.now.set(T.plus(CarRegistry.SWEEP_IDS_FRESH_FOR).minusSeconds(1));
        assertThat(a.idsForSweeps("acme")).doesNotContain("car-4");
        shared.now.set(T.plus(CarRegistry.SWEEP_IDS_FRESH_FOR));
        assertThat(a.idsForSweeps("acme")).as("listed again").containsExactly("car-1", "car-2", "car-3", "car-4");
        assertThat(a.idsForSweeps("other")).isEmpty();
    }
}
