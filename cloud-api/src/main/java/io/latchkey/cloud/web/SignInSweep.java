package io.latchkey.cloud.web;

import io.latchkey.cloud.identity.AuthorizationCodes;
import io.latchkey.cloud.tenant.Tenant;
import io.latchkey.cloud.tenant.TenantDirectory;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code latchkey.web.sweep-interval}, removes what browser sign-ins leave behind once it can no longer be
 * used, so that it does not pile up in the tenants' stores: sign-ins started and never finished
 * ({@link WebSignIns}, after 10 minutes), browser sessions ended by time, idleness or the account
 * ({@link WebSessions}), and authorization codes some minutes after they expired ({@link AuthorizationCodes}). Live
 * ones stay. Every replica sweeps; removing what is already gone changes nothing.
 */
@Singleton
public class SignInSweep {
    private static final Logger LOG = LoggerFactory.getLogger(SignInSweep.class);

    /** What one sweep removed. */
    public record Swept(int signIns, int sessions, int codes) {
        Swept plus(Swept other) {
            return new Swept(signIns + other.signIns, sessions + other.sessions, codes + other.codes);
        }

        int total() {
            return signIns + sessions + codes;
        }
    }

    private final TenantDirectory tenants;
    private final WebSignIns signIns;
    private final WebSessions sessions;
    private final AuthorizationCodes codes;
    private final Clock clock;

    public SignInSweep(TenantDirectory tenants, WebSignIns signIns, WebSessions sessions, AuthorizationCodes codes, Clock clock) {
        this.tenants = tenants;
        this.signIns = signIns;
        this.sessions = sessions;
        this.codes = codes;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "${latchkey.web.sweep-interval:5m}", initialDelay = "${latchkey.web.sweep-interval:5m}")
    void scheduled() {
        try {
            Swept swept = sweep();
            if (swept.total() > 0) {
                LOG.debug("removed {} expired sign-in(s), {} ended session(s), {} old authorization code(s)", swept.signIns(),
                        swept.sessions(), swept.codes());
            }
        } catch (RuntimeException e) {
            LOG.warn("the sign-in sweep failed: {}", e.toString());
        }
    }

    /** One sweep over every tenant, at the clock's now. */
    public Swept sweep() {
        Instant now = clock.instant();
        Swept total = new Swept(0, 0, 0);
        for (Tenant tenant : tenants.all()) {
            try {
                total = total.plus(new Swept(signIns.sweep(tenant.id(), now), sessions.sweep(tenant.id(), now),
                        codes.sweep(tenant.id(), now)));
            } catch (RuntimeException e) {
                LOG.warn("could not sweep the sign-ins of tenant {}: {}", tenant.id(), e.toString());
            }
        }
        return total;
    }
}
