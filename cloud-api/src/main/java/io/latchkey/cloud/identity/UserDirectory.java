package io.latchkey.cloud.identity;

import io.latchkey.cloud.ConflictException;
import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.NotFoundException;
import io.latchkey.cloud.pii.PiiCipher;
import io.latchkey.cloud.store.DocumentExistsException;
import io.latchkey.cloud.store.JsonCollection;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.VersionConflictException;
import io.latchkey.cloud.store.Versioned;
import io.latchkey.protocol.Ids;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The users of each tenant, in that tenant's store: {@code users/{id}} ({@link StoredUser}: identifying values
 * sealed under the user's data key by {@link PiiCipher}) and an e-mail index {@code emails/{hmac(email)}} (keyed
 * by the tenant's index key, {@link PiiCipher#emailIndex}) whose atomic creation is what makes an e-mail unique.
 * Termination deletes the index entry, overwrites the user document and destroys the user's data key, so no copy
 * of the store, earlier ones included, yields the e-mail or any other identifying value.
 *
 * <p>Documents written before encryption at rest (clear values, index {@code emails/{sha256(email)}}) are read as
 * they are and sealed by {@link #migrate} (at start, {@link PiiMigration}) or by their next update.
 */
@Singleton
public class UserDirectory {
    private static final int MAX_ATTEMPTS = 20;

    record EmailClaim(String userId) {
    }

    private final Stores stores;
    private final PiiCipher cipher;
    private final PasswordHasher hasher;
    private final SecureRandom random;
    private final Clock clock;

    public UserDirectory(Stores stores, PiiCipher cipher, PasswordHasher hasher, SecureRandom random, Clock clock) {
        this.stores = stores;
        this.cipher = cipher;
        this.hasher = hasher;
        this.random = random;
        this.clock = clock;
    }

    /**
     * @throws InvalidRequestException for a missing field, a bad e-mail, a weak password, an unknown role
     * @throws ConflictException       when the e-mail is taken
     */
    public UserAccount register(String tenant, String email, String name, String password, Set<String> roles) {
        String normalEmail = UserText.email(email);
        String normalName = UserText.name(name);
        PasswordPolicy.check(password, normalEmail);
        if (roles.isEmpty() || !Roles.TENANT_ROLES.containsAll(roles)) {
            throw new InvalidRequestException("roles must be among " + Roles.TENANT_ROLES);
        }
        String id = "u-" + HexFormat.of().formatHex(randomBytes(10));
        UserAccount user = UserAccount.registered(id, normalEmail, normalName, List.copyOf(roles), hasher.hash(password),
                clock.instant());
        try {
            if (emails(tenant).get(legacyEmailKey(normalEmail)).isPresent()) {
                throw new DocumentExistsException("emails", "legacy");
            }
            emails(tenant).create(cipher.emailIndex(tenant, normalEmail), new EmailClaim(id));
        } catch (DocumentExistsException e) {
            throw new ConflictException("e-mail " + normalEmail + " is already registered");
        }
        users(tenant).create(id, StoredUser.of(tenant, user, cipher));
        return user;
    }

    public Optional<UserAccount> find(String tenant, String userId) {
        if (!Ids.isValid(userId)) {
            return Optional.empty();
        }
        return users(tenant).get(userId).map(stored -> stored.open(tenant, cipher));
    }

    /** @throws NotFoundException for an unknown user */
    public UserAccount require(String tenant, String userId) {
        return find(tenant, userId).orElseThrow(() -> new NotFoundException(
                Ids.isValid(userId) ? "unknown user " + userId : "unknown user"));
    }

    /** The (not terminated) account registered with this e-mail, compared in its normal form ({@link UserText#email}). */
    public Optional<UserAccount> findByEmail(String tenant, String email) {
        return UserText.emailForLookup(email)
                .flatMap(normal -> emails(tenant).get(cipher.emailIndex(tenant, normal))
                        .or(() -> emails(tenant).get(legacyEmailKey(normal))))
                .flatMap(claim -> find(tenant, claim.userId()))
                .filter(user -> !user.terminated());
    }

    /**
     * Rewrites the stored account under optimistic concurrency, re-applying {@code change} if another
     * writer got in between.
     *
     * @throws NotFoundException for an unknown user
     */
    public UserAccount update(String tenant, String userId, UnaryOperator<UserAccount> change) {
        JsonCollection<StoredUser> users = users(tenant);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Versioned<StoredUser> current = users.find(userId)
                    .orElseThrow(() -> new NotFoundException("unknown user " + userId));
            UserAccount changed = change.apply(current.value().open(tenant, cipher));
            try {
                users.replace(userId, StoredUser.of(tenant, changed, cipher), current.version());
                return changed;
            } catch (VersionConflictException e) {
                Thread.onSpinWait();
            }
        }
        throw new VersionConflictException("users", userId);
    }

    /** Sets a new password (checked against the policy first). */
    public void changePassword(String tenant, String userId, String password) {
        UserAccount user = require(tenant, userId);
        PasswordPolicy.check(password, user.email());
        String hash = hasher.hash(password);
        update(tenant, userId, u -> u.withPasswordHash(hash));
    }

    /** Deletes the e-mail's index entry, so the address is no longer linked to any account and can register again. */
    public void forgetEmail(String tenant, String email) {
        if (email != null) {
            emails(tenant).delete(cipher.emailIndex(tenant, email));
            emails(tenant).delete(legacyEmailKey(email));
        }
    }

    public List<UserAccount> all(String tenant) {
        return users(tenant).all().stream().map(stored -> stored.open(tenant, cipher)).toList();
    }

    /**
     * Seals every account of the tenant still stored in clear by a version before encryption at rest, and moves
     * its e-mail index entry from the unkeyed {@code sha256(email)} to the keyed one. Safe to repeat and to run
     * beside live traffic (each document is replaced conditionally).
     *
     * @return how many accounts were sealed
     */
    public int migrate(String tenant) {
        int sealed = 0;
        JsonCollection<StoredUser> users = users(tenant);
        for (String id : users.ids()) {
            Optional<Versioned<StoredUser>> current = users.find(id);
            if (current.isEmpty() || !current.get().value().legacy()) {
                continue;
            }
            UserAccount user = current.get().value().open(tenant, cipher);
            if (user.email() != null && !user.terminated()) {
                String legacyKey = legacyEmailKey(user.email());
                Optional<EmailClaim> claim = emails(tenant).get(legacyKey);
                if (claim.isPresent() && claim.get().userId().equals(id)) {
                    try {
                        emails(tenant).create(cipher.emailIndex(tenant, user.email()), claim.get());
                    } catch (DocumentExistsException e) {
                        // a concurrent migration got there first
                    }
                    emails(tenant).delete(legacyKey);
                }
            }
            try {
                users.replace(id, StoredUser.of(tenant, user, cipher), current.get().version());
                sealed++;
            } catch (VersionConflictException e) {
                update(tenant, id, UnaryOperator.identity()); // changed meanwhile: seal what is there now
                sealed++;
            }
        }
        return sealed;
    }

    /** The index name versions before encryption at rest used: an unkeyed hash, read and removed, never written. */
    private static String legacyEmailKey(String normalEmail) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(normalEmail.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private JsonCollection<StoredUser> users(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), "users", StoredUser.class);
    }

    private JsonCollection<EmailClaim> emails(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), "emails", EmailClaim.class);
    }
}
