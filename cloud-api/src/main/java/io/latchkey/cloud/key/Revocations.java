package io.latchkey.cloud.key;

import io.latchkey.cloud.car.Car;
import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.mqtt.BackendMqttClient;
import io.latchkey.cloud.store.JsonCollection;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.tenant.CommandKeys;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.Topic;
import io.latchkey.protocol.key.RevocationList;
import io.latchkey.protocol.key.TenantSigned;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenant's signed list of revoked offline keys (docs/offline-keys.md §6), kept as one document
 * ({@code offline-key-revocations/current}) whose every change is a conditional write: the serial only ever increases,
 * even with several replicas revoking at once. Each change prunes the entries past their {@code notAfter} (a car refuses
 * those keys as expired anyway), signs the list with the tenant's command key, stores the envelope, and publishes it,
 * retained, to every device of the tenant on {@code lk/{tenant}/{deviceId}/revocations}. Phones fetch the stored envelope
 * and carry it to cars that are offline.
 */
@Singleton
public class Revocations {
    static final String COLLECTION = "offline-key-revocations";
    static final String ID = "current";
    private static final Logger LOG = LoggerFactory.getLogger(Revocations.class);

    /** The list as stored: what was signed, and the envelope the cars and phones get. */
    record Stored(long serial, Instant issuedAt, List<RevocationList.Entry> entries, TenantSigned signed) {
        Stored {
            entries = entries == null ? List.of() : List.copyOf(entries);
        }
    }

    private final Stores stores;
    private final CommandKeys keys;
    private final CarRegistry cars;
    private final BackendMqttClient mqtt;
    private final Clock clock;

    public Revocations(Stores stores, CommandKeys keys, CarRegistry cars, BackendMqttClient mqtt, Clock clock) {
        this.stores = stores;
        this.keys = keys;
        this.cars = cars;
        this.mqtt = mqtt;
        this.clock = clock;
    }

    /** The newest signed list; the first call of a tenant signs an empty one (serial 1). */
    public TenantSigned current(String tenant) {
        Instant now = clock.instant();
        Stored stored = collection(tenant).get(ID).orElse(null);
        if (stored != null && stored.entries().stream().noneMatch(e -> !now.isBefore(e.notAfter()))) {
            return stored.signed();
        }
        // none yet, or some entries to prune: a new list (pruning changes it, so it gets a serial of its own)
        return change(tenant, List.of());
    }

    /**
     * Adds {@code revoked} (key id and the credential's {@code notAfter}) to the list, pruned, with the next serial, and
     * publishes it to the tenant's devices.
     *
     * @return the new signed list
     */
    public TenantSigned revoke(String tenant, Collection<RevocationList.Entry> revoked) {
        TenantSigned signed = change(tenant, revoked);
        publish(tenant, signed);
        return signed;
    }

    private TenantSigned change(String tenant, Collection<RevocationList.Entry> added) {
        Stored stored = collection(tenant).upsert(ID, null, current -> {
            Instant now = clock.instant();
            Map<String, RevocationList.Entry> entries = new LinkedHashMap<>();
            if (current != null) {
                current.entries().forEach(e -> entries.put(e.keyId(), e));
            }
            added.forEach(e -> entries.put(e.keyId(), e));
            entries.values().removeIf(e -> !now.isBefore(e.notAfter()));
            long serial = current == null ? 1 : current.serial() + 1;
            List<RevocationList.Entry> sorted = new ArrayList<>(entries.values());
            sorted.sort(Comparator.comparing(RevocationList.Entry::keyId));
            if (current != null && sorted.equals(current.entries())) {
                return current;
            }
            RevocationList list = new RevocationList(1, RevocationList.TYPE, tenant, serial, now, sorted);
            return new Stored(serial, now, sorted, keys.sign(tenant, TenantSigned.Kind.REVOCATIONS, list));
        });
        return stored.signed();
    }

    /** Sends the list to every device of the tenant, retained; a failure is logged (phones still carry it). */
    void publish(String tenant, TenantSigned signed) {
        byte[] payload = Json.write(signed);
        for (Car car : cars.all(tenant)) {
            if (car.deviceId() == null || !Topic.isValidDeviceId(car.deviceId())) {
                continue;
            }
            try {
                mqtt.publishRetained(Topic.of(tenant, car.deviceId(), Channel.REVOCATIONS), payload)
                        .whenComplete((ok, e) -> {
                            if (e != null) {
                                LOG.warn("revocation list of {} not published to {}: {}", tenant, car.deviceId(), e.toString());
                            }
                        });
            } catch (RuntimeException e) {
                LOG.warn("revocation list of {} not published to {}: {}", tenant, car.deviceId(), e.toString());
            }
        }
    }

    private JsonCollection<Stored> collection(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), COLLECTION, Stored.class);
    }
}
