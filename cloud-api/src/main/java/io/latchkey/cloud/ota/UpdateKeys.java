package io.latchkey.cloud.ota;

import io.latchkey.cloud.ConflictException;
import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.audit.AuditEntry;
import io.latchkey.cloud.audit.Auditor;
import io.latchkey.cloud.device.KeySetPublisher;
import io.latchkey.cloud.device.UpdateKeySource;
import io.latchkey.cloud.store.DocumentExistsException;
import io.latchkey.cloud.store.JsonCollection;
import io.latchkey.cloud.store.Stores;
import io.latchkey.protocol.Ids;
import io.latchkey.protocol.Keys;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenant's update keys (docs/ota.md §2): the public halves of the keys that sign release manifests, registered by an
 * operator. Uploads are checked against them, and the tenant's signed key set lists them as {@code UPDATE}, so devices
 * learn a new one without a visit.
 */
@Singleton
public class UpdateKeys implements UpdateKeySource {
    static final String COLLECTION = "update-keys";
    private static final Logger LOG = LoggerFactory.getLogger(UpdateKeys.class);

    private final Stores stores;
    private final Auditor auditor;
    private final Clock clock;
    private final BeanProvider<KeySetPublisher> keySets;

    public UpdateKeys(Stores stores, Auditor auditor, Clock clock, BeanProvider<KeySetPublisher> keySets) {
        this.stores = stores;
        this.auditor = auditor;
        this.clock = clock;
        this.keySets = keySets;
    }

    /** Registers a key; the tenant's devices get a key set naming it. */
    public UpdateKey add(String tenant, String kid, String publicKey, String actor) {
        if (kid == null || !Ids.isValid(kid)) {
            throw new InvalidRequestException(Ids.mustMatch("kid"));
        }
        java.security.PublicKey key;
        try {
            key = Keys.decodeCommandPublicKey(publicKey);
            Keys.ed25519(key);
        } catch (RuntimeException e) {
            throw new InvalidRequestException("publicKey must be a base64 X.509 Ed25519 public key");
        }
        UpdateKey stored = new UpdateKey(kid, Keys.encodePublic(key), clock.instant());
        try {
            collection(tenant).create(kid, stored);
        } catch (DocumentExistsException e) {
            auditor.record(tenant, actor, "ota.update-key-added", "update-key/" + kid, AuditEntry.REFUSED);
            throw new ConflictException("update key " + kid + " exists already");
        }
        auditor.record(tenant, actor, "ota.update-key-added", "update-key/" + kid, AuditEntry.OK);
        try {
            keySets.get().publish(tenant);
        } catch (RuntimeException e) {
            LOG.warn("key set of {} not published after adding update key {}: {}", tenant, kid, e.toString());
        }
        return stored;
    }

    public List<UpdateKey> list(String tenant) {
        return collection(tenant).all();
    }

    /** The keys by id, as {@link io.latchkey.protocol.ota.UpdateVerifier} takes them. */
    Map<String, java.security.PublicKey> byId(String tenant) {
        Map<String, java.security.PublicKey> keys = new LinkedHashMap<>();
        for (UpdateKey k : list(tenant)) {
            keys.put(k.kid(), Keys.decodeCommandPublicKey(k.publicKey()));
        }
        return keys;
    }

    @Override
    public List<UpdateKeySource.PublicKey> updateKeys(String tenant) {
        return list(tenant).stream().map(k -> new UpdateKeySource.PublicKey(k.kid(), k.publicKey())).toList();
    }

    private JsonCollection<UpdateKey> collection(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), COLLECTION, UpdateKey.class);
    }
}
