package io.latchkey.cloud.car;

import io.latchkey.cloud.it.TestClock;
import io.latchkey.cloud.store.FileTenantStore;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.TenantStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;

/** Car registries of several replicas over one shared file store, on a clock the test sets ({@link #now}). */
final class SharedRegistries {
    final TestClock now;
    private final Path dir;

    SharedRegistries(Path dir, Instant start) {
        this.dir = dir;
        this.now = new TestClock(start);
    }

    /** One replica's registry; all share the store in the directory. */
    CarRegistry replica() {
        Stores stores = new Stores() {
            @Override
            public TenantStore platform() {
                return new FileTenantStore(dir.resolve("platform"));
            }

            @Override
            public TenantStore tenant(String tenantId) {
                return new FileTenantStore(dir.resolve(tenantId));
            }
        };
        return new CarRegistry(stores, new SecureRandom(), now);
    }
}
