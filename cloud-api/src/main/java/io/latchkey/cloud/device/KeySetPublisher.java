package io.latchkey.cloud.device;

import io.latchkey.cloud.audit.AuditEntry;
import io.latchkey.cloud.audit.Auditor;
import io.latchkey.cloud.car.Car;
import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.mqtt.BackendMqttClient;
import io.latchkey.cloud.secrets.SecretStore;
import io.latchkey.cloud.store.JsonCollection;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.tenant.CommandKeys;
import io.latchkey.cloud.tenant.KeyRing;
import io.latchkey.cloud.tenant.KeyRing.StoredKey;
import io.latchkey.cloud.tenant.Tenant;
import io.latchkey.cloud.tenant.TenantDirectory;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Keys;
import io.latchkey.protocol.Topic;
import io.latchkey.protocol.identity.KeySet;
import io.latchkey.protocol.identity.SignedKeySet;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenant's signed key sets (docs/device-identity.md, "Key sets"). The set lists the command keys (as
 * {@code COMMAND} and {@code ISSUING}: the same keys sign commands, receipts and offline keys), the update keys of an
 * {@link UpdateKeySource}, and the tenant's two key-set keys ({@code ks-N} signs, {@code ks-N+1} is published ahead of
 * use, kept in the tenant's secret scope as {@value #SECRET_NAME}). Whenever the keys change the set gets the next
 * serial and is signed by the current key-set key, which every device holding the previous set already trusts; it is
 * published retained on each of the tenant's devices' {@code keys} topic (a device may only read its own topics).
 */
@Singleton
public class KeySetPublisher {
    static final String SECRET_NAME = "keyset-keys";
    private static final KeyRing RING = new KeyRing("ks", "key-set keys", 2);
    static final String COLLECTION = "key-sets";
    private static final Logger LOG = LoggerFactory.getLogger(KeySetPublisher.class);

    /** A key-set key as stored. */

    /** The newest set: its serial and signed form. */
    record Current(long serial, List<KeySet.Key> keys, String signed) {
    }

    /** A key-set key as the certificate answer hands it to provisioning, to pin. */
    public record PinnedKey(String kid, String alg, String publicKey) {
    }

    private final SecretStore secrets;
    private final CommandKeys commandKeys;
    private final List<UpdateKeySource> updateKeys;
    private final Stores stores;
    private final CarRegistry cars;
    private final BackendMqttClient mqtt;
    private final Clock clock;
    private final TenantDirectory tenants;
    private final Auditor auditor;

    public KeySetPublisher(SecretStore secrets, CommandKeys commandKeys, List<UpdateKeySource> updateKeys, Stores stores, CarRegistry cars,
                           BackendMqttClient mqtt, Clock clock, TenantDirectory tenants, Auditor auditor) {
        this.tenants = tenants;
        this.auditor = auditor;
        this.secrets = secrets;
        this.commandKeys = commandKeys;
        this.updateKeys = updateKeys;
        this.stores = stores;
        this.cars = cars;
        this.mqtt = mqtt;
        this.clock = clock;
    }

    /** The key-set keys a device pins at provisioning ({@code keyset.keys.<kid>}). */
    public List<PinnedKey> pinned(String tenant) {
        return keys(tenant).stream().map(k -> new PinnedKey(k.kid(), Keys.COMMAND_KEY_ALGORITHM, k.publicKey())).toList();
    }

    /** The tenant's newest signed set, made (next serial, signed, audited) if the keys changed since the last one. */
    public SignedKeySet current(String tenant) {
        return newest(tenant, new AtomicBoolean());
    }

    private SignedKeySet newest(String tenant, AtomicBoolean made) {
        List<StoredKey> signing = keys(tenant);
        List<KeySet.Key> listed = new ArrayList<>();
        // the keys as stored now, with those being retired (CommandKeys.RETIRED_FOR): never this replica's older copy
        List<CommandKeys.PublicCommandKey> trusted = commandKeys.trustedKeys(tenant);
        trusted.forEach(k -> listed.add(new KeySet.Key(KeySet.Kind.COMMAND, k.kid(), k.publicKey())));
        trusted.forEach(k -> listed.add(new KeySet.Key(KeySet.Kind.ISSUING, k.kid(), k.publicKey())));
        updateKeys.forEach(source -> source.updateKeys(tenant)
                .forEach(k -> listed.add(new KeySet.Key(KeySet.Kind.UPDATE, k.kid(), k.publicKey()))));
        signing.forEach(k -> listed.add(new KeySet.Key(KeySet.Kind.KEYSET, k.kid(), k.publicKey())));
        JsonCollection<Current> sets = new JsonCollection<>(stores.tenant(tenant), COLLECTION, Current.class);
        Current current = sets.upsert("current", new Current(0, List.of(), null), held -> {
            made.set(false);
            if (held.keys().equals(listed) && held.signed() != null) {
                return held;
            }
            made.set(true);
            KeySet set = new KeySet(tenant, held.serial() + 1, clock.instant(), listed);
            StoredKey signer = signing.get(0);
            SignedKeySet signed = SignedKeySet.sign(set, signer.kid(), Keys.decodeCommandPrivateKey(signer.privateKey()));
            return new Current(set.serial(), listed, new String(signed.toJson(), java.nio.charset.StandardCharsets.UTF_8));
        });
        return SignedKeySet.parse(current.signed().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Publishes the newest set, retained, to every device of the tenant; returns how many. */
    public int publish(String tenant) {
        return publishToAll(tenant, current(tenant));
    }

    private int publishToAll(String tenant, SignedKeySet set) {
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (Car car : cars.all(tenant)) {
            if (car.deviceId() != null && Topic.isValidDeviceId(car.deviceId())) {
                sent.add(publishTo(tenant, car.deviceId(), set));
            }
        }
        return sent.size();
    }

    /**
     * Every {@code latchkey.keys.sweep-interval} (30 s): a tenant whose rotated-out command key's time is over
     * ({@link CommandKeys#RETIRED_FOR}) gets a set without it, published to its devices, which then refuse that key.
     * Any replica may do it; the set's conditional write makes one serial of it, and only the replica that made it
     * publishes it and audits it ({@code keys.retire} by {@code system}).
     */
    @Scheduled(fixedDelay = "${latchkey.keys.sweep-interval:30s}", initialDelay = "${latchkey.keys.sweep-interval:30s}")
    void scheduled() {
        try {
            retireKeys();
        } catch (RuntimeException e) {
            LOG.warn("key-set sweep failed: {}", e.toString());
        }
    }

    /**
     * One pass of the sweep above.
     *
     * @return the tenants whose devices were sent a new set
     */
    public List<String> retireKeys() {
        List<String> published = new ArrayList<>();
        for (Tenant tenant : tenants.all()) {
            try {
                retireKeys(tenant, published);
            } catch (RuntimeException e) {
                // one tenant's store being away must not keep the others' sets as they are
                LOG.warn("key-set sweep of {} failed: {}", tenant.id(), e.toString());
            }
        }
        return published;
    }

    private void retireKeys(Tenant tenant, List<String> published) {
        if (!commandKeys.retirementEnded(tenant.id())) {
            return;
        }
        AtomicBoolean made = new AtomicBoolean();
        SignedKeySet set = newest(tenant.id(), made);
        if (made.get()) {
            LOG.info("new key set of {}: command keys rotated out more than {} ago left out", tenant.id(), CommandKeys.RETIRED_FOR);
            auditor.record(tenant.id(), AuditEntry.SYSTEM, "keys.retire", "keys/command", "OK");
            publishToAll(tenant.id(), set);
            published.add(tenant.id());
        }
    }

    /** Publishes the newest set to one device (a device just provisioned). */
    public CompletableFuture<Void> publishTo(String tenant, String deviceId) {
        return publishTo(tenant, deviceId, current(tenant));
    }

    /**
     * The next key-set key signs from now on and a new next one is published ahead of use; the new set is signed by the
     * promoted key, which devices trust since the previous set listed it. (The caller audits the rotation.)
     *
     * @return the kid that signs from now on
     */
    public String rotate(String tenant, String caller) {
        keys(tenant);
        String json = secrets.update(tenant, SECRET_NAME, RING::rotated);
        String kid = RING.parse(json).get(0).kid();
        LOG.info("key-set key of {} rotated by {}: {} signs from now on", tenant, caller, kid);
        publish(tenant);
        return kid;
    }

    private CompletableFuture<Void> publishTo(String tenant, String deviceId, SignedKeySet set) {
        return mqtt.publishRetained(Topic.of(tenant, deviceId, Channel.KEYS), set.toJson()).whenComplete((ok, e) -> {
            if (e != null) {
                LOG.warn("key set of {} not published to {}: {}", tenant, deviceId, e.toString());
            }
        });
    }

    private List<StoredKey> keys(String tenant) {
        return RING.parse(secrets.getOrCreate(tenant, SECRET_NAME, RING::initial));
    }
}
