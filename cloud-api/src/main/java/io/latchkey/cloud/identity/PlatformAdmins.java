package io.latchkey.cloud.identity;

import io.latchkey.cloud.store.JsonCollection;
import io.latchkey.cloud.store.Stores;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import java.util.Optional;

/**
 * Platform administrators, in the platform store (no tenant route can reach it). The policy's
 * temporary lockout holds for them as for every account: more than 5 failed sign-ins in a row lock
 * the account for 5 minutes, during which even the right password is refused.
 */
@Singleton
public class PlatformAdmins {
    record PlatformAdmin(String user, String passwordHash, Instant createdAt, Integer failedSignIns, Instant lockedUntil) {
        PlatformAdmin(String user, String passwordHash, Instant createdAt) {
            this(user, passwordHash, createdAt, 0, null);
        }

        int failures() {
            return failedSignIns == null ? 0 : failedSignIns;
        }

        boolean lockedAt(Instant now) {
            return lockedUntil != null && now.isBefore(lockedUntil);
        }

        PlatformAdmin withFailures(int failures, Instant until) {
            return new PlatformAdmin(user, passwordHash, createdAt, failures, until);
        }

        @Override
        public String toString() {
            return "PlatformAdmin[" + user + "]";
        }
    }

    private final JsonCollection<PlatformAdmin> admins;
    private final PasswordHasher hasher;
    private final SecurityCounters counters;
    private final Clock clock;

    public PlatformAdmins(Stores stores, PasswordHasher hasher, SecurityCounters counters, Clock clock) {
        this.admins = new JsonCollection<>(stores.platform(), "admins", PlatformAdmin.class);
        this.hasher = hasher;
        this.counters = counters;
        this.clock = clock;
    }

    public boolean any() {
        return !admins.ids().isEmpty();
    }

    /** Creates the admin, or sets its password if it differs from the stored one. */
    public void put(String user, String password) {
        admins.upsert(key(user), new PlatformAdmin(user, hasher.hash(password), clock.instant()),
                existing -> hasher.verify(password, existing.passwordHash()) ? existing
                        : new PlatformAdmin(user, hasher.hash(password), existing.createdAt(), 0, null));
    }

    /** The admin's user name if user and password match. */
    public Optional<String> authenticate(String user, String password) {
        Optional<PlatformAdmin> admin = user == null ? Optional.empty() : admins.get(key(user.strip()));
        if (admin.isEmpty()) {
            hasher.verifyDummy(password);
            counters.failedSignIn(null);
            return Optional.empty();
        }
        String id = key(user.strip());
        Instant now = clock.instant();
        AtomicReference<SignInLimits.Admission> admission = new AtomicReference<>();
        admins.upsert(id, admin.get(), a -> {
            if (a.lockedAt(now)) {
                admission.set(SignInLimits.Admission.LOCKED);
                return a;
            }
            if (SignInLimits.locksAfter(a.failures())) {
                admission.set(SignInLimits.Admission.CHECK_LAST);
                return a.withFailures(0, now.plus(SignInLimits.TEMPORARY_LOCKOUT));
            }
            admission.set(SignInLimits.Admission.CHECK);
            return a.withFailures(a.failures() + 1, a.lockedUntil());
        });
        if (!admission.get().mayCheck()) {
            hasher.verifyDummy(password);
            counters.failedSignIn(null);
            return Optional.empty();
        }
        if (!hasher.verify(password, admin.get().passwordHash())) {
            counters.failedSignIn(null);
            if (admission.get() == SignInLimits.Admission.CHECK_LAST) {
                counters.lockout(null);
            }
            return Optional.empty();
        }
        boolean ownLock = admission.get() == SignInLimits.Admission.CHECK_LAST;
        admins.upsert(id, admin.get(), a -> a.withFailures(0, ownLock ? null : a.lockedUntil()));
        return Optional.of(admin.get().user());
    }

    private static String key(String user) {
        return OpaqueTokens.digest(user);
    }
}
