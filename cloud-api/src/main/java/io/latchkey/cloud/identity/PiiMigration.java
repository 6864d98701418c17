package io.latchkey.cloud.identity;

import io.latchkey.cloud.store.DocumentExistsException;
import io.latchkey.cloud.store.JsonCollection;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.tenant.Tenant;
import io.latchkey.cloud.tenant.TenantDirectory;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PostConstruct;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, seals the accounts that a version before encryption at rest stored in clear
 * ({@link UserDirectory#migrate}), once per tenant: a tenant whose store holds {@code pii-migrations/v1} is done.
 * Until then (and for a document an older replica writes during a rolling upgrade) clear documents are read as
 * they are, so nothing stops working; they are sealed at the next start or the account's next change.
 */
@Context
public class PiiMigration {
    static final String COLLECTION = "pii-migrations";
    static final String DONE = "v1";
    private static final Logger LOG = LoggerFactory.getLogger(PiiMigration.class);

    record Done(Instant at, int sealed) {
    }

    private final TenantDirectory tenants;
    private final UserDirectory users;
    private final Stores stores;
    private final Clock clock;

    public PiiMigration(TenantDirectory tenants, UserDirectory users, Stores stores, Clock clock) {
        this.tenants = tenants;
        this.users = users;
        this.stores = stores;
        this.clock = clock;
    }

    @PostConstruct
    void migrateAll() {
        for (Tenant tenant : tenants.all()) {
            try {
                migrate(tenant.id());
            } catch (RuntimeException e) {
                // one tenant's unreachable store must not stop the platform; its clear documents stay readable
                LOG.warn("tenant {}: personal data stored in clear not sealed yet ({}); retried at the next start",
                        tenant.id(), e.getClass().getSimpleName());
            }
        }
    }

    /** @return how many accounts were sealed now (0 when the tenant was done before) */
    public int migrate(String tenant) {
        JsonCollection<Done> marks = new JsonCollection<>(stores.tenant(tenant), COLLECTION, Done.class);
        if (marks.get(DONE).isPresent()) {
            return 0;
        }
        int sealed = users.migrate(tenant);
        try {
            marks.create(DONE, new Done(clock.instant(), sealed));
        } catch (DocumentExistsException e) {
            // another replica finished first
        }
        if (sealed > 0) {
            LOG.info("tenant {}: sealed the personal data of {} accounts stored in clear by an earlier version", tenant, sealed);
        }
        return sealed;
    }
}
