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

/**
 * The tenants of the platform, kept in the platform store. Creating one also creates its store and its
 * keys (token signing, command signing) and its device CA in its own secret scope, through every {@link TenantKeys}.
 */
@Singleton
public class TenantDirectory {
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

    public Tenant create(String id, String name) {
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
        keys.forEach(k -> k.createFor(id));
        known.put(id, tenant);
        return tenant;
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
