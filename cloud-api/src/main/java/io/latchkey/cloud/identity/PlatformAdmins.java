package io.latchkey.cloud.identity;

import io.latchkey.cloud.store.JsonCollection;
import io.latchkey.cloud.store.Stores;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/** Platform administrators, in the platform store (no tenant route can reach it). */
@Singleton
public class PlatformAdmins {
    record PlatformAdmin(String user, String passwordHash, Instant createdAt) {
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
                        : new PlatformAdmin(user, hasher.hash(password), existing.createdAt()));
    }

    /** The admin's user name if user and password match. */
    public Optional<String> authenticate(String user, String password) {
        Optional<PlatformAdmin> admin = user == null ? Optional.empty() : admins.get(key(user.strip()));
        if (admin.isEmpty()) {
            hasher.verifyDummy(password);
            counters.failedSignIn(null);
            return Optional.empty();
        }
        if (!hasher.verify(password, admin.get().passwordHash())) {
            counters.failedSignIn(null);
            return Optional.empty();
        }
        return Optional.of(admin.get().user());
    }

    private static String key(String user) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(user.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
