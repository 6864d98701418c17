package io.latchkey.cloud.tenant;

import io.latchkey.cloud.ConflictException;
import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.NotFoundException;
import io.latchkey.cloud.secrets.SecretStore;
import io.latchkey.cloud.store.DocumentExistsException;
import io.latchkey.cloud.store.JsonCollection;
import io.latchkey.cloud.store.Stores;
import io.latchkey.protocol.Topic;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenants of the platform, kept in the platform store. Creating one also creates its store and its
 * keys (token signing, command signing) and its device CA in its own secret scope, through every {@link TenantKeys}.
 */
@Singleton
public class TenantDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(TenantDirectory.class);
    private final JsonCollection<Tenant> tenants;
    private final Stores stores;
    private final List<TenantKeys> keys;
    private final Clock clock;
    private final Map<String, Tenant> known = new ConcurrentHashMap<>();

    public TenantDirectory(Stores stores, List<TenantKeys> keys, Clock clock) {
        this.tenants = new JsonCollection<>(stores.platform(), "tenants", Tenant.class);
        this.stores = stores;
        this.keys = List.copyOf(keys);
        this.clock = clock;
    }

    /**
     * Creates the tenant: its store, the platform's record of it, its signing and command keys and its
     * device CA, then {@code onCreated} (the audit record). All or nothing, as seen from outside: if a step
     * fails the platform's record is removed again, so the tenant does not exist and a retry creates it
     * (re-using whatever keys and CA the failed attempt stored; those steps are "get or create").
     *
     * @throws ConflictException if the tenant exists
     * @throws InvalidRequestException if the id or name is not acceptable
     */
    public Tenant create(String id, String name, Consumer<Tenant> onCreated) {
        if (!Topic.isValidTenantId(id) || SecretStore.PLATFORM.equals(id)) {
            throw new InvalidRequestException("id must match [a-z0-9][a-z0-9-]{1,62} and not be 'platform'");
        }
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new InvalidRequestException("name is required (at most 200 characters)");
        }
        Tenant tenant = new Tenant(id, name.strip(), clock.instant());
        // its store first: a tenant whose store cannot be opened (no Azure account configured) is not created
        stores.tenant(id);
        try {
            tenants.create(id, tenant);
        } catch (DocumentExistsException e) {
            throw new ConflictException("tenant " + id + " exists");
        }
        try {
            keys.forEach(k -> k.createFor(id));
            onCreated.accept(tenant);
        } catch (RuntimeException e) {
            undoCreate(id, e);
            throw e;
        }
        known.put(id, tenant);
        return tenant;
    }

    private void undoCreate(String id, RuntimeException cause) {
        known.remove(id);
        try {
            tenants.delete(id);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
            LOG.error("tenant {} was not created completely and its record could not be removed: a retry answers 409", id, e);
        }
    }

    public Optional<Tenant> find(String id) {
        if (!Topic.isValidTenantId(id)) {
            return Optional.empty();
        }
        Tenant cached = known.get(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Tenant> stored = tenants.get(id);
        stored.ifPresent(t -> known.put(id, t));
        return stored;
    }

    /** @throws NotFoundException for an unknown tenant */
    public Tenant require(String id) {
        return find(id).orElseThrow(() -> new NotFoundException("unknown tenant " + id));
    }

    public boolean exists(String id) {
        return find(id).isPresent();
    }

    public List<Tenant> all() {
        return tenants.all();
    }
}
