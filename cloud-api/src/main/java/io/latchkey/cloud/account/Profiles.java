package io.latchkey.cloud.account;

import io.latchkey.cloud.identity.UserAccount;
import io.latchkey.cloud.identity.UserDirectory;
import io.latchkey.cloud.identity.UserText;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** Edits one's own profile: name and the optional PII fields. */
@Singleton
public class Profiles {
    private final UserDirectory users;
    private final AccountAudit audit;
    private final Clock clock;

    public Profiles(UserDirectory users, AccountAudit audit, Clock clock) {
        this.users = users;
        this.audit = audit;
        this.clock = clock;
    }

    /** @throws io.latchkey.cloud.InvalidRequestException naming the first invalid field; nothing is changed then */
    public UserAccount change(String tenant, String userId, ProfileChange change) {
        UserAccount current = users.require(tenant, userId);
        String name = change.name() == null ? current.name() : UserText.name(change.name());
        String phone = change.phone() == null ? current.phone()
                : change.phone().isEmpty() ? null : PersonalData.phone(change.phone());
        String licence = change.driverLicence() == null ? current.driverLicence()
                : change.driverLicence().isEmpty() ? null : PersonalData.driverLicence(change.driverLicence());
        LocalDate birth = change.dateOfBirth() == null ? current.dateOfBirth()
                : change.dateOfBirth().isEmpty() ? null
                : PersonalData.dateOfBirth(change.dateOfBirth(), LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
        UserAccount updated = users.update(tenant, userId, u -> u.withProfile(name, phone, licence, birth));
        audit.record(tenant, userId, "user.profile.change", AccountAudit.user(userId), "OK");
        return updated;
    }
}
