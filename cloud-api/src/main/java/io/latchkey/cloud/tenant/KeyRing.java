package io.latchkey.cloud.tenant;

import com.fasterxml.jackson.core.type.TypeReference;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.Keys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of a tenant's rotating Ed25519 keys, one secret in its secret store: the key that signs first, the
 * next one second (published ahead, so that cars know it before it signs). Rotation makes the next key the signer
 * and adds a new next key, numbered on ({@code cmd-1, cmd-2, cmd-3...}). The command keys and the key-set keys are
 * kept this way.
 */
public final class KeyRing {
    /**
     * One key pair: its key id, and both halves base64 (PKCS#8, X.509). A key rotated out with
     * {@link #rotatedKeeping} keeps its public half only and {@code retiredUntil}: devices keep trusting it until then.
     */
    public record StoredKey(String kid, String privateKey, String publicKey, Instant retiredUntil) {
        public StoredKey(String kid, String privateKey, String publicKey) {
            this(kid, privateKey, publicKey, null);
        }

        /** Signs or is published ahead of use (not rotated out). */
        public boolean active() {
            return retiredUntil == null;
        }

        /** Still to be trusted by devices at {@code now}: active, or retired and its grace not over. */
        public boolean trustedAt(Instant now) {
            return retiredUntil == null || retiredUntil.isAfter(now);
        }
    }

    private final String prefix;
    private final String what;
    private final int minimum;

    /**
     * @param prefix  the key ids' prefix ({@code cmd}, {@code ks})
     * @param what    what the keys are, for errors ("command keys")
     * @param minimum how many keys a stored ring must hold to be taken
     */
    public KeyRing(String prefix, String what, int minimum) {
        this.prefix = prefix;
        this.what = what;
        this.minimum = minimum;
    }

    /** A new ring: the signer and the next key. */
    public String initial() {
        return write(List.of(newKey(1), newKey(2)));
    }

    /** The ring after a rotation: the next key signs (a new one where a ring held only its signer), a new next key. */
    public String rotated(String stored) {
        List<StoredKey> keys = parse(stored);
        int highest = keys.stream().mapToInt(k -> number(k.kid())).max().orElse(0);
        StoredKey signer = keys.size() > 1 ? keys.get(1) : newKey(++highest);
        return write(List.of(signer, newKey(highest + 1)));
    }

    /**
     * The ring after a rotation that keeps the old signer's public half, retired, until {@code now + keepFor} (so that
     * devices still trust what another replica signed with it before it read the new ring), and drops retired keys whose
     * time is over. The signer stays first and the next key second; retired keys follow.
     */
    public String rotatedKeeping(String stored, Instant now, Duration keepFor) {
        List<StoredKey> keys = parse(stored);
        int highest = keys.stream().mapToInt(k -> number(k.kid())).max().orElse(0);
        List<StoredKey> active = keys.stream().filter(StoredKey::active).toList();
        StoredKey old = active.get(0);
        StoredKey signer = active.size() > 1 ? active.get(1) : newKey(++highest);
        List<StoredKey> next = new ArrayList<>(List.of(signer, newKey(highest + 1),
                new StoredKey(old.kid(), null, old.publicKey(), now.plus(keepFor))));
        keys.stream().filter(k -> !k.active() && k.trustedAt(now)).forEach(next::add);
        return write(next);
    }

    /** The stored keys, the signer first; a ring that does not parse or holds too few keys is an error. */
    public List<StoredKey> parse(String json) {
        try {
            List<StoredKey> keys = Json.mapper().readValue(json, new TypeReference<List<StoredKey>>() { });
            if (keys.size() < minimum) {
                throw new IOException("fewer than " + minimum + " " + what);
            }
            return List.copyOf(keys);
        } catch (IOException e) {
            throw new UncheckedIOException("stored " + what + " do not parse", e);
        }
    }

    private StoredKey newKey(int number) {
        KeyPair pair = Keys.newCommandKeyPair();
        return new StoredKey(prefix + "-" + number, Keys.encodePrivate(pair.getPrivate()), Keys.encodePublic(pair.getPublic()));
    }

    private static int number(String kid) {
        try {
            return Integer.parseInt(kid.substring(kid.lastIndexOf('-') + 1));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static String write(List<StoredKey> keys) {
        try {
            return Json.mapper().writeValueAsString(keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
