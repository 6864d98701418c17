package io.latchkey.cloud.identity;

import io.latchkey.cloud.ConflictException;
import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.NotFoundException;
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
 * The users of each tenant, in that tenant's store: {@code users/{id}} and an e-mail index
 * {@code emails/{sha256(email)}} whose atomic creation is what makes an e-mail unique. Termination deletes
 * the index entry and overwrites the user document, so no trace of the e-mail is left in storage.
 */
@Singleton
public class UserDirectory {
    private static final int MAX_ATTEMPTS = 20;

    record EmailClaim(String userId) {
    }

    private final Stores stores;
    private final PasswordHasher hasher;
    private final SecureRandom random;
    private final Clock clock;

    public UserDirectory(Stores stores, PasswordHasher hasher, SecureRandom random, Clock clock) {
        this.stores = stores;
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
            emails(tenant).create(emailKey(normalEmail), new EmailClaim(id));
        } catch (DocumentExistsException e) {
            throw new ConflictException("e-mail " + normalEmail + " is already registered");
        }
        users(tenant).create(id, user);
        return user;
    }

    public Optional<UserAccount> find(String tenant, String userId) {
        if (!Ids.isValid(userId)) {
            return Optional.empty();
        }
        return users(tenant).get(userId);
    }

    /** @throws NotFoundException for an unknown user */
    public UserAccount require(String tenant, String userId) {
        return find(tenant, userId).orElseThrow(() -> new NotFoundException(
                Ids.isValid(userId) ? "unknown user " + userId : "unknown user"));
    }

    /** The (not terminated) account registered with this e-mail, compared in its normal form ({@link UserText#email}). */
    public Optional<UserAccount> findByEmail(String tenant, String email) {
        return UserText.emailForLookup(email)
                .flatMap(normal -> emails(tenant).get(emailKey(normal)))
                .flatMap(claim -> users(tenant).get(claim.userId()))
                .filter(user -> !user.terminated());
    }

    /**
     * Rewrites the stored account under optimistic concurrency, re-applying {@code change} if another
     * writer got in between.
     *
     * @throws NotFoundException for an unknown user
     */
    public UserAccount update(String tenant, String userId, UnaryOperator<UserAccount> change) {
        JsonCollection<UserAccount> users = users(tenant);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Versioned<UserAccount> current = users.find(userId)
                    .orElseThrow(() -> new NotFoundException("unknown user " + userId));
            UserAccount changed = change.apply(current.value());
            try {
                users.replace(userId, changed, current.version());
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
            emails(tenant).delete(emailKey(email));
        }
    }

    public List<UserAccount> all(String tenant) {
        return users(tenant).all();
    }

    private static String emailKey(String normalEmail) {
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

    private JsonCollection<UserAccount> users(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), "users", UserAccount.class);
    }

    private JsonCollection<EmailClaim> emails(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), "emails", EmailClaim.class);
    }
}
