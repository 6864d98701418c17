package io.latchkey.cloud.identity;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A user of one tenant, as stored in that tenant's store (and nowhere else: it holds PII).
 * A terminated account keeps its id, roles and dates; every identifying field is erased.
 *
 * @param email         normalised (lower case); {@code null} once terminated
 * @param passwordHash  Argon2id PHC string; never returned by the API, never logged; {@code null} once terminated
 * @param phone         optional PII
 * @param driverLicence optional PII
 * @param dateOfBirth   optional PII
 * @param terminatedAt  when the account was terminated on request; it can never sign in again
 */
public record UserAccount(String id, String email, String name, List<String> roles, String passwordHash,
                          Instant createdAt, String phone, String driverLicence, LocalDate dateOfBirth,
                          Instant terminatedAt) {
    /** The name a terminated account is left with. */
    public static final String TERMINATED_NAME = "Former user";
    /** The PII fields beyond e-mail and name, by their API names, in the order reset questions ask them. */
    public static final List<String> EXTRA_PII_FIELDS = List.of("phone", "driverLicence", "dateOfBirth");

    public UserAccount {
        roles = List.copyOf(roles);
    }

    public static UserAccount registered(String id, String email, String name, List<String> roles, String passwordHash,
                                         Instant createdAt) {
        return new UserAccount(id, email, name, roles, passwordHash, createdAt, null, null, null, null);
    }

    public boolean terminated() {
        return terminatedAt != null;
    }

    /** Which of {@link #EXTRA_PII_FIELDS} this account holds: what a password reset must confirm. */
    public List<String> heldExtraPii() {
        List<String> held = new ArrayList<>();
        if (phone != null) {
            held.add("phone");
        }
        if (driverLicence != null) {
            held.add("driverLicence");
        }
        if (dateOfBirth != null) {
            held.add("dateOfBirth");
        }
        return held;
    }

    public UserAccount withProfile(String newName, String newPhone, String newLicence, LocalDate newDateOfBirth) {
        return new UserAccount(id, email, newName, roles, passwordHash, createdAt, newPhone, newLicence, newDateOfBirth,
                terminatedAt);
    }

    public UserAccount withRoles(List<String> newRoles) {
        return new UserAccount(id, email, name, newRoles, passwordHash, createdAt, phone, driverLicence, dateOfBirth,
                terminatedAt);
    }

    public UserAccount withPasswordHash(String hash) {
        return new UserAccount(id, email, name, roles, hash, createdAt, phone, driverLicence, dateOfBirth, terminatedAt);
    }

    /** The same record with every identifying value erased: what termination writes over the stored one. */
    public UserAccount scrubbed(Instant at) {
        return new UserAccount(id, null, TERMINATED_NAME, roles, null, createdAt, null, null, null, at);
    }

    @Override
    public String toString() {
        return "UserAccount[id=" + id + ", roles=" + roles + (terminated() ? ", terminated" : "") + "]";
    }
}
