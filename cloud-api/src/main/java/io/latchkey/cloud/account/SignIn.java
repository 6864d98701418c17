package io.latchkey.cloud.account;

import io.latchkey.cloud.identity.PasswordHasher;
import io.latchkey.cloud.identity.PasswordSignIn;
import io.latchkey.cloud.identity.SecurityCounters;
import io.latchkey.cloud.identity.SignInLimits.Admission;
import io.latchkey.cloud.identity.UserAccount;
import io.latchkey.cloud.identity.UserDirectory;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Password sign-in with lockouts. Every refusal looks the same to the caller (the token endpoint answers
 * {@code invalid_grant}, "wrong e-mail or password") and costs the same hashing time, whether the e-mail is
 * unknown, the password wrong or the account locked; the real reason goes to the audit trail only.
 */
@Singleton
public class SignIn implements PasswordSignIn {
    public static final String ACTION = "user.sign-in";

    private final UserDirectory users;
    private final PasswordHasher hasher;
    private final AccountLocks locks;
    private final AccountAudit audit;
    private final SecurityCounters counters;

    public SignIn(UserDirectory users, PasswordHasher hasher, AccountLocks locks, AccountAudit audit,
                  SecurityCounters counters) {
        this.users = users;
        this.hasher = hasher;
        this.locks = locks;
        this.audit = audit;
        this.counters = counters;
    }

    /** The account, if the password matches and nothing locks it; empty otherwise. */
    @Override
    public Optional<UserAccount> withPassword(String tenant, String email, String password) {
        Optional<UserAccount> found = users.findByEmail(tenant, email);
        if (found.isEmpty()) {
            hasher.verifyDummy(password);
            counters.failedSignIn(tenant);
            return Optional.empty();
        }
        UserAccount user = found.get();
        Admission admission = locks.admitSignIn(tenant, user.id());
        if (!admission.mayCheck()) {
            hasher.verifyDummy(password);
            return refuse(tenant, user, locks.of(tenant, user.id()).permanentlyLocked()
                    ? "REFUSED_LOCKED_PERMANENTLY" : "REFUSED_LOCKED_TEMPORARILY");
        }
        if (!hasher.verify(password, user.passwordHash())) {
            refuse(tenant, user, "REFUSED_WRONG_PASSWORD");
            if (admission == Admission.CHECK_LAST) {
                counters.lockout(tenant);
                audit.record(tenant, AccountAudit.ANONYMOUS, "user.lockout", AccountAudit.user(user.id()),
                        "LOCKED_" + AccountLocks.TEMPORARY_LOCKOUT.toMinutes() + "_MINUTES");
            }
            return Optional.empty();
        }
        locks.recordSuccessfulSignIn(tenant, user.id(), admission);
        return Optional.of(user);
    }

    private Optional<UserAccount> refuse(String tenant, UserAccount user, String reason) {
        counters.failedSignIn(tenant);
        audit.record(tenant, AccountAudit.ANONYMOUS, ACTION, AccountAudit.user(user.id()), reason);
        return Optional.empty();
    }
}
