package io.latchkey.cloud.access;

import io.latchkey.cloud.http.PublicUrl;
import io.latchkey.cloud.store.StoreConfig;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** With the file store: a signed, expiring link to the read-only export routes ({@link ExportController}). */
@Singleton
@Requires(property = "latchkey.store.type", value = StoreConfig.FILE, defaultValue = StoreConfig.FILE)
public class ExportLinkGrants implements DataAccessGrants {
    private final ExportTokens tokens;
    private final PublicUrl publicUrl;
    private final Clock clock;

    public ExportLinkGrants(ExportTokens tokens, PublicUrl publicUrl, Clock clock) {
        this.tokens = tokens;
        this.publicUrl = publicUrl;
        this.clock = clock;
    }

    @Override
    public DataAccessGrant grant(String tenant, Duration validity) {
        DataAccessGrants.requireValidity(validity);
        Instant expiresAt = clock.instant().plus(validity);
        String url = publicUrl.tenantIssuer(tenant) + "/exports/" + tokens.mint(tenant, expiresAt) + "/";
        return new DataAccessGrant("export", url, expiresAt, DataAccessGrant.READ_ONLY);
    }
}
