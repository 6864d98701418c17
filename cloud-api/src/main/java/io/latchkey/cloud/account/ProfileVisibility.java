package io.latchkey.cloud.account;

import io.latchkey.cloud.identity.Caller;
import io.latchkey.cloud.identity.UserAccount;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;

/**
 * Who sees which field of a profile (POLICY: responses are sanitised; owner and borrower see each other's
 * e-mail and phone during a booking, nobody else does):
 *
 * <pre>
 * field          self  operator/tenant-admin  booking partner  anyone else
 * id, displayName yes  yes                    yes              yes
 * roles          yes   yes                    yes              yes
 * name           yes   yes                    -                -
 * email          yes   yes                    yes              -
 * phone          yes   -                      yes              -
 * driverLicence  yes   -                      -                -
 * dateOfBirth    yes   -                      -                -
 * status         yes   yes                    -                -
 * </pre>
 *
 * Operators need name, e-mail, roles and lock status to run accounts; licence and date of birth are
 * checked when the user gives them, not looked up later. A caller in several rows sees the union.
 */
@Singleton
public class ProfileVisibility {
    /** The fields of {@link UserProfileView} beyond id, displayName and roles. */
    public enum Field { NAME, EMAIL, PHONE, DRIVER_LICENCE, DATE_OF_BIRTH, STATUS }

    static final Set<Field> SELF = EnumSet.allOf(Field.class);
    static final Set<Field> OPERATOR = EnumSet.of(Field.NAME, Field.EMAIL, Field.STATUS);
    static final Set<Field> BOOKING_PARTNER = EnumSet.of(Field.EMAIL, Field.PHONE);

    private final BookingPartners relations;
    private final AccountLocks locks;
    private final Clock clock;

    public ProfileVisibility(BookingPartners relations, AccountLocks locks, Clock clock) {
        this.relations = relations;
        this.locks = locks;
        this.clock = clock;
    }

    public UserProfileView view(String tenant, Caller caller, UserAccount user) {
        Set<Field> fields = EnumSet.noneOf(Field.class);
        if (caller.is(user.id())) {
            fields.addAll(SELF);
        }
        if (caller.actsForTenant()) {
            fields.addAll(OPERATOR);
        }
        if (!fields.containsAll(BOOKING_PARTNER) && !user.terminated()
                && relations.activeBetween(tenant, caller.userId(), user.id())) {
            fields.addAll(BOOKING_PARTNER);
        }
        return view(tenant, user, fields);
    }

    /** The full own profile. */
    public UserProfileView own(String tenant, UserAccount user) {
        return view(tenant, user, SELF);
    }

    private UserProfileView view(String tenant, UserAccount user, Set<Field> fields) {
        return new UserProfileView(user.id(), displayName(user.name()),
                fields.contains(Field.NAME) ? user.name() : null,
                fields.contains(Field.EMAIL) ? user.email() : null,
                fields.contains(Field.PHONE) ? user.phone() : null,
                fields.contains(Field.DRIVER_LICENCE) ? user.driverLicence() : null,
                fields.contains(Field.DATE_OF_BIRTH) && user.dateOfBirth() != null ? user.dateOfBirth().toString() : null,
                user.roles(),
                fields.contains(Field.STATUS) ? status(tenant, user) : null);
    }

    /** ACTIVE, LOCKED (temporarily), LOCKED_PERMANENTLY or TERMINATED. */
    String status(String tenant, UserAccount user) {
        if (user.terminated()) {
            return "TERMINATED";
        }
        AccountSecurity security = locks.of(tenant, user.id());
        if (security.permanentlyLocked()) {
            return "LOCKED_PERMANENTLY";
        }
        return security.temporarilyLockedAt(clock.instant()) ? "LOCKED" : "ACTIVE";
    }

    /** "Bob Smith" → "Bob S."; a single name stays as it is. */
    static String displayName(String name) {
        String[] parts = name.strip().split("\\s+");
        if (parts.length == 1) {
            return parts[0];
        }
        String last = parts[parts.length - 1];
        return parts[0] + " " + last.substring(0, last.offsetByCodePoints(0, 1)) + ".";
    }
}
