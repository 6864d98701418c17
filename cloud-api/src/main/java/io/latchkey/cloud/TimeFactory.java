package io.latchkey.cloud;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;

/** Time and randomness are beans so that tests can replace them (expiries, lockouts) without sleeping. */
@Factory
public class TimeFactory {

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    SecureRandom secureRandom() {
        return new SecureRandom();
    }
}
