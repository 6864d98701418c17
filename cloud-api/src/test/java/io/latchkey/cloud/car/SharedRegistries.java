package io.latchkey.cloud.car;

import io.latchkey.cloud.store.FileTenantStore;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.TenantStore;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** Car registries of several replicas over one shared file store, on a clock the test sets ({@link #now}). */
final class SharedRegistries {
    final AtomicReference<Instant> now;
    private final Path dir;
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    SharedRegistries(Path dir, Instant start) {
        this.dir = dir;
        this.now = new AtomicReference<>(start);
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
        return new CarRegistry(stores, new SecureRandom(), clock);
    }
}
