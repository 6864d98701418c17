package io.latchkey.cloud.device;

import io.latchkey.cloud.pki.FileRevocationRegistry;
import io.latchkey.cloud.pki.RevocationRegistry;
import io.latchkey.cloud.pki.RevokedCertificate;
import io.latchkey.cloud.store.DocumentExistsException;
import io.latchkey.cloud.store.JsonCollection;
import io.latchkey.cloud.store.Stores;
import io.latchkey.protocol.Topic;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Revocations as one document per certificate, {@code revoked-certificates/{serial hex}}, in the tenant's own
 * store, so that every replica sharing the store sees them. Revoking is a conditional create: of two replicas
 * revoking one serial, one records it and the other hears "already revoked". A revocation is permanent, so a
 * serial seen revoked stays so in memory; "not revoked" is answered from a listing of the tenant's revoked serials
 * taken {@link #NOT_REVOKED_FOR} ago at most, which bounds how long another replica's revocation takes to reach this
 * one (the replica that revokes knows at once). One listing per tenant and bound answers every device: checking
 * each serial on its own cost a store read per command and per answer of a car not checked in the last seconds (at
 * 10,000 cars every unlock, twice, on the caller's path).
 *
 * <p>Revocations that an earlier version kept in {@code {data-dir}/tenants/{tenant}/revoked-certificates.json}
 * ({@link FileRevocationRegistry}) are copied into the store the first time the tenant is used.
 */
public final class StoredRevocations implements RevocationRegistry {
    /** How long a "not revoked" answer is reused before the store is asked again. */
    public static final Duration NOT_REVOKED_FOR = Duration.ofSeconds(5);
    static final String COLLECTION = "revoked-certificates";

    private final Stores stores;
    private final Clock clock;
    private final FileRevocationRegistry legacy;
    private final long notRevokedForNanos;
    private final Set<String> imported = ConcurrentHashMap.newKeySet();
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    /** Per tenant: the revoked serials listed at {@code listedAt} ({@link System#nanoTime()}). */
    private record Listing(Set<String> serials, long listedAt) {
    }

    private final Map<String, Listing> listings = new ConcurrentHashMap<>();
    private final Map<String, Object> listingLocks = new ConcurrentHashMap<>();

    /**
     * @param legacy the earlier file registry to copy from, or null
     * @param notRevokedFor how long a "not revoked" answer is reused ({@link #NOT_REVOKED_FOR} in production)
     */
    public StoredRevocations(Stores stores, Clock clock, FileRevocationRegistry legacy, Duration notRevokedFor) {
        this.stores = stores;
        this.clock = clock;
        this.legacy = legacy;
        this.notRevokedForNanos = notRevokedFor.toNanos();
    }

    @Override
    public boolean revoke(String tenant, BigInteger serial, String deviceId, String reason) {
        importLegacy(tenant);
        String key = RevokedCertificate.serialText(serial);
        try {
            collection(tenant).create(key, new RevokedCertificate(key, deviceId, clock.instant(), reason));
            return true;
        } catch (DocumentExistsException e) {
            return false;
        } finally {
            remember(tenant, key);
        }
    }

    @Override
    public boolean isRevoked(String tenant, BigInteger serial) {
        importLegacy(tenant);
        String key = RevokedCertificate.serialText(serial);
        String cacheKey = tenant + "/" + key;
        if (revoked.contains(cacheKey)) {
            return true;
        }
        if (listing(tenant).serials().contains(key)) {
            remember(tenant, key);
            return true;
        }
        return false;
    }

    /** The tenant's revoked serials, listed {@link #NOT_REVOKED_FOR} ago at most; one listing at a time per tenant. */
    private Listing listing(String tenant) {
        Listing listing = listings.get(tenant);
        if (listing != null && System.nanoTime() - listing.listedAt() < notRevokedForNanos) {
            return listing;
        }
        synchronized (listingLocks.computeIfAbsent(tenant, t -> new Object())) {
            listing = listings.get(tenant);
            if (listing != null && System.nanoTime() - listing.listedAt() < notRevokedForNanos) {
                return listing;
            }
            long listedAt = System.nanoTime(); // before the request: what it returns is at least this fresh
            listing = new Listing(Set.copyOf(collection(tenant).ids()), listedAt);
            listings.put(tenant, listing);
            return listing;
        }
    }

    @Override
    public List<RevokedCertificate> revoked(String tenant) {
        importLegacy(tenant);
        return collection(tenant).all().stream()
                .sorted(Comparator.comparing(RevokedCertificate::revokedAt).thenComparing(RevokedCertificate::serial))
                .toList();
    }

    private void remember(String tenant, String key) {
        revoked.add(tenant + "/" + key);
    }

    private void importLegacy(String tenant) {
        Topic.requireTenantId(tenant);
        if (legacy == null || imported.contains(tenant)) {
            return;
        }
        for (RevokedCertificate r : legacy.revoked(tenant)) {
            try {
                collection(tenant).create(r.serial(), r);
            } catch (DocumentExistsException e) {
                // copied before (or revoked again since): the store's record stands
            }
        }
        imported.add(tenant);
    }

    private JsonCollection<RevokedCertificate> collection(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), COLLECTION, RevokedCertificate.class);
    }
}
