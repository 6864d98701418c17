package io.latchkey.cloud.it;

import io.latchkey.cloud.identity.PasswordHasher;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** The real hasher, counting how many passwords it checked against a stored hash (dummy checks excluded). */
@Singleton
@Replaces(PasswordHasher.class)
@Requires(property = CountingPasswordHasher.ENABLED, value = "true")
public class CountingPasswordHasher extends PasswordHasher {
    public static final String ENABLED = "latchkey.test.count-password-checks";

    private final AtomicInteger checks = new AtomicInteger();

    public CountingPasswordHasher(SecureRandom random) {
        super(random);
    }

    @Override
    public boolean verify(String password, String encoded) {
        checks.incrementAndGet();
        return super.verify(password, encoded);
    }

    /** Checks since the last call; the count starts again from 0. */
    public int takeChecks() {
        return checks.getAndSet(0);
    }
}
