package io.latchkey.simulator.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One signed-in user of a tenant: signs in again when the access token is near its end (they live at
 * most 15 minutes), so that long scenarios keep working.
 */
public final class Session {
    private static final Duration RENEW_AFTER = Duration.ofMinutes(10);

    private final LatchkeyClient api;
    private final String tenant;
    private final String email;
    private final String password;
    private final Clock clock;
    private String token;
    private Instant issuedAt;

    public Session(LatchkeyClient api, String tenant, String email, String password, Clock clock) {
        this.api = Objects.requireNonNull(api, "api");
        this.tenant = tenant;
        this.email = email;
        this.password = password;
        this.clock = clock;
    }

    public synchronized String token() {
        Instant now = clock.instant();
        if (token == null || issuedAt.plus(RENEW_AFTER).isBefore(now)) {
            token = api.tenantToken(tenant, email, password).access_token();
            issuedAt = now;
        }
        return token;
    }

    public String email() {
        return email;
    }
}
