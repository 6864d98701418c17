package io.latchkey.cloud.identity;

import io.latchkey.cloud.ConflictException;
import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.store.DocumentExistsException;
import io.latchkey.cloud.store.JsonCollection;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.TenantStore;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The users of each tenant, in that tenant's store: {@code users/{id}} and an e-mail index
 * {@code emails/{sha256(email)}} whose atomic creation is what makes an e-mail unique.
 */
@Singleton
public class UserDirectory {
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");

    record EmailClaim(String userId) {
    }

    private final Stores stores;
    private final PasswordHasher hasher;
    private final SecurityCounters counters;
    private final SecureRandom random;
    private final Clock clock;

    public UserDirectory(Stores stores, PasswordHasher hasher, SecurityCounters counters, SecureRandom random, Clock clock) {
        this.stores = stores;
        this.hasher = hasher;
        this.counters = counters;
        this.random = random;
        this.clock = clock;
    }

    /**
     * @throws InvalidRequestException for a missing field, a bad e-mail, a weak password, an unknown role
     * @throws ConflictException       when the e-mail is taken
     */
    public UserAccount register(String tenant, String email, String name, String password, Set<String> roles) {
        String normalEmail = normaliseEmail(email);
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new InvalidRequestException("name is required (at most 200 characters)");
        }
        PasswordPolicy.check(password, normalEmail);
        if (roles.isEmpty() || !Roles.TENANT_ROLES.containsAll(roles)) {
            throw new InvalidRequestException("roles must be among " + Roles.TENANT_ROLES);
        }
        String id = "u-" + HexFormat.of().formatHex(randomBytes(10));
        UserAccount user = new UserAccount(id, normalEmail, name.strip(), List.copyOf(roles), hasher.hash(password),
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
        if (userId == null || !userId.matches(TenantStore.NAME_PATTERN)) {
            return Optional.empty();
        }
        return users(tenant).get(userId);
    }

    /** The user whose e-mail and password match; empty otherwise, after the same amount of work. */
    public Optional<UserAccount> authenticate(String tenant, String email, String password) {
        Optional<UserAccount> user = Optional.empty();
        if (email != null && password != null) {
            user = emails(tenant).get(emailKey(email.strip().toLowerCase(Locale.ROOT)))
                    .flatMap(claim -> users(tenant).get(claim.userId()));
        }
        if (user.isEmpty()) {
            hasher.verifyDummy(password);
            counters.failedSignIn();
            return Optional.empty();
        }
        if (!hasher.verify(password, user.get().passwordHash())) {
            counters.failedSignIn();
            return Optional.empty();
        }
        return user;
    }

    private static String normaliseEmail(String email) {
        if (email == null || email.isBlank()) {
            throw new InvalidRequestException("email is required");
        }
        String normal = email.strip().toLowerCase(Locale.ROOT);
        if (normal.length() > 254 || !EMAIL.matcher(normal).matches()) {
            throw new InvalidRequestException("email is not an e-mail address");
        }
        return normal;
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
