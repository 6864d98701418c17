package io.latchkey.cloud.car;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.cloud.store.FileTenantStore;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.TenantStore;
import io.latchkey.protocol.LockState;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CarRegistryStateTest {
    private static final Instant T = Instant.parse("2026-11-23T21:00:00Z");

    @TempDir
    Path dir;

    private CarRegistry registry() {
        FileTenantStore tenant = new FileTenantStore(dir.resolve("acme"));
        Stores stores = new Stores() {
            @Override
            public TenantStore platform() {
                return new FileTenantStore(dir.resolve("platform"));
            }

            @Override
            public TenantStore tenant(String tenantId) {
                return tenant;
            }
        };
        return new CarRegistry(stores, new SecureRandom(), Clock.systemUTC());
    }

    private Optional<byte[]> stored() {
        return new FileTenantStore(dir.resolve("acme")).read("car-states", "car-1").map(v -> v.value());
    }

    @Test
    void aChangeAcceptedForLater_isReadAtOnce_storedByItsWrite_andThenReadFromTheStore() {
        CarRegistry cars = registry();
        cars.updateState("acme", "car-1", s -> s.withLock(LockState.LOCKED, false, T));

        Runnable write = cars.updateStateSoon("acme", "car-1", s -> s.withLock(LockState.UNLOCKED, false, T.plusSeconds(1)));

        assertThat(cars.state("acme", "car-1").lockState()).isEqualTo(LockState.UNLOCKED);
        assertThat(new String(stored().orElseThrow())).contains("\"LOCKED\"").doesNotContain("UNLOCKED");

        write.run();

        assertThat(new String(stored().orElseThrow())).contains("\"UNLOCKED\"");
        assertThat(cars.state("acme", "car-1").lockState()).isEqualTo(LockState.UNLOCKED);
        assertThat(cars.state("acme", "car-1").lastSeen()).isEqualTo(T.plusSeconds(1));
    }

    @Test
    void changesNotYetWritten_applyInTheOrderAccepted_overWhatOthersWroteMeanwhile() {
        CarRegistry cars = registry();
        Runnable unlock = cars.updateStateSoon("acme", "car-1", s -> s.withLock(LockState.UNLOCKED, true, T));
        Runnable lock = cars.updateStateSoon("acme", "car-1", s -> s.withLock(LockState.LOCKED, false, T.plusSeconds(2)));
        cars.updateState("acme", "car-1", s -> s.withOnline(true, T.plusSeconds(1)));

        CarState read = cars.state("acme", "car-1");
        assertThat(read.lockState()).isEqualTo(LockState.LOCKED);
        assertThat(read.doorsOpen()).isFalse();
        assertThat(read.online()).isTrue();

        unlock.run();
        lock.run();

        assertThat(cars.state("acme", "car-1")).isEqualTo(registry().state("acme", "car-1"));
        assertThat(registry().state("acme", "car-1").lockState()).isEqualTo(LockState.LOCKED);
    }

    @Test
    void aWriteThatRunsLate_doesNotUndoALaterChange_alreadyStored() {
        CarRegistry cars = registry();
        // an end refused (the car stays unlocked), then accepted (it locked itself); the refusal's write runs last
        Runnable refused = cars.updateStateSoon("acme", "car-1", s -> s.withLock(LockState.UNLOCKED, false, T));
        Runnable accepted = cars.updateStateSoon("acme", "car-1", s -> s.withLock(LockState.LOCKED, false, T.plusSeconds(1)));

        accepted.run();
        assertThat(registry().state("acme", "car-1").lockState()).as("stored, with the earlier change before it")
                .isEqualTo(LockState.LOCKED);
        refused.run();

        assertThat(registry().state("acme", "car-1").lockState()).isEqualTo(LockState.LOCKED);
        assertThat(cars.state("acme", "car-1").lockState()).isEqualTo(LockState.LOCKED);
        assertThat(cars.state("acme", "car-1").lastSeen()).isEqualTo(T.plusSeconds(1));
    }
}
