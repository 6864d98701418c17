package io.latchkey.protocol.key;

import io.latchkey.protocol.Ids;
import io.latchkey.protocol.MalformedMessageException;
import java.time.Instant;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A key credential (docs/offline-keys.md §2): the tenant lets the holder of one P-256 key do {@code rights} at one
 * car from {@code notBefore} to {@code notAfter}. Signed by the tenant as a {@link TenantSigned} document.
 *
 * @param v               format version, 1
 * @param type            {@link #TYPE}
 * @param devicePublicKey base64url of the device key's SubjectPublicKeyInfo: the phone verifies the car's answers with it
 * @param parent          for a co-driver's key: the parent credential's key id, rights and window; null otherwise
 */
public record KeyCredential(int v, String type, String keyId, String tenant, String deviceId, String carId, String bookingId,
                            Holder holder, Set<KeyRight> rights, Instant notBefore, Instant notAfter, Instant issuedAt,
                            Parent parent, String devicePublicKey) {
    public static final String TYPE = "latchkey.key-credential";
    /** A key id: {@code key-} and 16 lower-case hex digits. */
    public static final Pattern KEY_ID = Pattern.compile("key-[0-9a-f]{16}");

    /** @param publicKey base64url of the 65-byte uncompressed P-256 point {@code 0x04 || X || Y} */
    public record Holder(String userId, String publicKey) {
    }

    public record Parent(String keyId, Set<KeyRight> rights, Instant notBefore, Instant notAfter) {
        public Parent {
            rights = ordered(rights);
        }
    }

    public KeyCredential {
        rights = ordered(rights);
    }

    /** Rights in their declared order, so that the same credential always has the same bytes. */
    static Set<KeyRight> ordered(Set<KeyRight> rights) {
        if (rights == null || rights.stream().anyMatch(java.util.Objects::isNull)) {
            return rights;
        }
        return rights.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(java.util.EnumSet.copyOf(rights));
    }

    /**
     * The structure a credential must have, whoever signed it.
     *
     * @throws MalformedMessageException naming the first field that is missing or wrong
     */
    public KeyCredential checked() {
        if (v != 1 || !TYPE.equals(type)) {
            throw new MalformedMessageException("not a version 1 " + TYPE);
        }
        if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
            throw new MalformedMessageException("keyId must be key- and 16 lower-case hex digits");
        }
        for (String[] id : new String[][] {{"tenant", tenant}, {"deviceId", deviceId}, {"carId", carId}, {"bookingId", bookingId}}) {
            if (!Ids.isValid(id[1])) {
                throw new MalformedMessageException(Ids.isRequiredAndMustMatch(id[0]));
            }
        }
        if (holder == null || !Ids.isValid(holder.userId()) || holder.publicKey() == null) {
            throw new MalformedMessageException("holder needs a userId and a publicKey");
        }
        HolderKeys.decode(holder.publicKey());
        if (rights == null || rights.isEmpty() || rights.stream().anyMatch(java.util.Objects::isNull)) {
            throw new MalformedMessageException("rights must name at least one of " + Set.of(KeyRight.values()));
        }
        if (notBefore == null || notAfter == null || issuedAt == null || !notBefore.isBefore(notAfter)) {
            throw new MalformedMessageException("notBefore, notAfter and issuedAt are required, notBefore before notAfter");
        }
        if (parent != null && (parent.keyId() == null || !KEY_ID.matcher(parent.keyId()).matches() || parent.rights() == null
                || parent.notBefore() == null || parent.notAfter() == null)) {
            throw new MalformedMessageException("parent needs keyId, rights, notBefore and notAfter");
        }
        if (devicePublicKey == null || devicePublicKey.isBlank()) {
            throw new MalformedMessageException("devicePublicKey is required");
        }
        return this;
    }

    /** Whether this co-driver's credential gives no more than its parent: rights and window inside the parent's. */
    public boolean withinParent() {
        return parent == null || parent.rights().containsAll(rights) && !notBefore.isBefore(parent.notBefore())
                && !notAfter.isAfter(parent.notAfter());
    }
}
