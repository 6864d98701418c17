package io.latchkey.cloud.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which backend replicas are alive, as this replica hears them on the broker they share, and which of them owns a
 * car's ingestion. Each replica announces itself (its MQTT client id, stable across its restarts) every
 * {@link #HEARTBEAT_EVERY}; a replica not heard for {@link #EXPIRES_AFTER} is gone. This replica is always live in
 * its own view.
 *
 * <p>The owner of a car is the live replica with the highest rendezvous weight for {@code tenant/deviceId}
 * ({@link #owner}): every replica with the same view picks the same owner, and when a replica leaves (or joins) only
 * the cars it owned (or wins) move. Ownership is a performance hint only: the store's conditional writes and the
 * telemetry ledger's de-duplication keep two replicas correct when their views differ (docs/scaling.md).
 */
public final class ReplicaMembership {
    /** How often a replica announces itself. */
    public static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(1);
    /** A replica not heard for this long is no longer live (three heartbeats missed). */
    public static final Duration EXPIRES_AFTER = Duration.ofSeconds(3);

    private final String self;
    private final Clock clock;
    private final Map<String, Instant> heard = new ConcurrentHashMap<>();

    public ReplicaMembership(String self, Clock clock) {
        this.self = requireId(self);
        this.clock = clock;
    }

    public String self() {
        return self;
    }

    /** A heartbeat of {@code id} arrived now (its own are ignored). */
    public void heard(String id) {
        requireId(id);
        if (!id.equals(self)) {
            heard.put(id, clock.instant());
        }
    }

    /** The replicas heard within {@link #EXPIRES_AFTER}, and this one, sorted; forgets those that expired. */
    public List<String> live() {
        Instant since = clock.instant().minus(EXPIRES_AFTER);
        List<String> live = new ArrayList<>();
        live.add(self);
        heard.forEach((id, at) -> {
            if (at.isBefore(since)) {
                heard.remove(id, at);
            } else {
                live.add(id);
            }
        });
        live.sort(null);
        return live;
    }

    /** The live replica that owns the car of {@code tenant/deviceId}: possibly this one. */
    public String ownerOf(String tenant, String deviceId) {
        return owner(tenant + "/" + deviceId, live());
    }

    /**
     * Rendezvous (highest random weight) hashing: the id among {@code ids} whose weight for {@code key} is highest
     * (ties, practically impossible, to the smaller id). Pure and the same in every process.
     */
    public static String owner(String key, Collection<String> ids) {
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("no replica to own " + key);
        }
        long k = fnv(key);
        String best = null;
        long bestWeight = 0;
        for (String id : ids) {
            long w = mix(fnv(id) ^ mix(k));
            if (best == null || Long.compareUnsigned(w, bestWeight) > 0
                    || (w == bestWeight && id.compareTo(best) < 0)) {
                best = id;
                bestWeight = w;
            }
        }
        return best;
    }

    /** A replica id: what {@code latchkey.mqtt.client-id} allows. */
    public static boolean isValidId(String id) {
        return id != null && id.matches("[A-Za-z0-9_-]{1,64}");
    }

    private static String requireId(String id) {
        if (!isValidId(id)) {
            throw new IllegalArgumentException("not a replica id: " + id);
        }
        return id;
    }

    /** FNV-1a, 64 bits, over the UTF-8 bytes. */
    private static long fnv(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** MurmurHash3's 64-bit finaliser: every input bit moves every output bit. */
    private static long mix(long z) {
        z ^= z >>> 33;
        z *= 0xff51afd7ed558ccdL;
        z ^= z >>> 33;
        z *= 0xc4ceb9fe1a85ec53L;
        z ^= z >>> 33;
        return z;
    }
}
