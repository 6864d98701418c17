package io.latchkey.cloud.identity;

import io.latchkey.cloud.pii.PiiCipher;
import io.latchkey.cloud.pii.PiiErasedException;
import io.latchkey.cloud.store.StoreJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A user document {@code users/{id}} as stored: id, roles and dates in clear (what termination keeps), and every
 * identifying value (e-mail, name, phone, licence, date of birth, and the password hash) in {@code pii}, sealed
 * under the user's data key by {@link PiiCipher} with {@code users/{id}} as the record. A terminated account has no
 * {@code pii} (and its key is destroyed, so copies of earlier versions do not open either).
 *
 * <p>The clear fields {@code email} .. {@code dateOfBirth} are how versions before encryption at rest wrote the
 * document: read (and sealed by {@link UserDirectory#migrate}), never written.
 */
record StoredUser(String id, List<String> roles, Instant createdAt, Instant terminatedAt, String pii,
                  String email, String name, String passwordHash, String phone, String driverLicence,
                  LocalDate dateOfBirth) {

    /** What is sealed: the identifying fields of {@link UserAccount}. */
    record Pii(String email, String name, String passwordHash, String phone, String driverLicence,
               LocalDate dateOfBirth) {
        @Override
        public String toString() {
            return "Pii[sealed]";
        }
    }

    /** The termination time shown for a restored copy of an erased account (the real one is in the audit trail). */
    static final Instant ERASED_AT = Instant.EPOCH;

    static String record(String userId) {
        return "users/" + userId;
    }

    static StoredUser of(String tenant, UserAccount user, PiiCipher cipher) {
        if (user.terminated()) {
            return new StoredUser(user.id(), user.roles(), user.createdAt(), user.terminatedAt(), null,
                    null, null, null, null, null, null);
        }
        Pii pii = new Pii(user.email(), user.name(), user.passwordHash(), user.phone(), user.driverLicence(),
                user.dateOfBirth());
        String sealed = cipher.seal(tenant, user.id(), record(user.id()),
                new String(StoreJson.write(pii), StandardCharsets.UTF_8));
        return new StoredUser(user.id(), user.roles(), user.createdAt(), null, sealed,
                null, null, null, null, null, null);
    }

    /** Written before encryption at rest: identifying values in clear. */
    boolean legacy() {
        return pii == null && (email != null || phone != null || driverLicence != null || dateOfBirth != null
                || passwordHash != null || (name != null && !UserAccount.TERMINATED_NAME.equals(name)));
    }

    /**
     * The account with its identifying values opened. A copy of the document from before the account's termination
     * (a restored backup) reads as terminated: its key is destroyed, the values are erased; when it was terminated
     * is not known from the copy, so {@link #ERASED_AT} stands for it.
     *
     * @throws io.latchkey.cloud.pii.PiiKeyException if the keys are missing or wrong (not an erasure)
     */
    UserAccount open(String tenant, PiiCipher cipher) {
        if (pii != null) {
            String json;
            try {
                json = cipher.open(tenant, id, record(id), pii);
            } catch (PiiErasedException e) {
                return new UserAccount(id, null, UserAccount.TERMINATED_NAME, roles, null, createdAt, null, null, null,
                        terminatedAt == null ? ERASED_AT : terminatedAt);
            }
            Pii p = StoreJson.read(json.getBytes(StandardCharsets.UTF_8), Pii.class);
            return new UserAccount(id, p.email(), p.name(), roles, p.passwordHash(), createdAt, p.phone(),
                    p.driverLicence(), p.dateOfBirth(), terminatedAt);
        }
        if (terminatedAt != null && !legacy()) {
            return new UserAccount(id, null, UserAccount.TERMINATED_NAME, roles, null, createdAt, null, null, null,
                    terminatedAt);
        }
        return new UserAccount(id, email, name, roles, passwordHash, createdAt, phone, driverLicence, dateOfBirth,
                terminatedAt);
    }

    @Override
    public String toString() {
        return "StoredUser[id=" + id + "]";
    }
}
