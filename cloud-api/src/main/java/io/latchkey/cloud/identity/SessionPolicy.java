package io.latchkey.cloud.identity;

import java.time.Instant;

/**
 * Whether a verified token still speaks for a live account, and the session version a new access token
 * carries. Owned here, where tokens are checked; implemented by the account layer, which knows about
 * terminations, locks and revoked sessions.
 */
public interface SessionPolicy {
    /** For access tokens: their session version must be the account's current one. */
    boolean admits(AccessToken token);

    /** For a refresh token issued at {@code issuedAt}. */
    boolean admitsRefresh(String tenant, String userId, Instant issuedAt);

    /** The session version to put into a new access token of the user. */
    int sessionVersion(String tenant, String userId);

    /**
     * Ends every session of the account now (access and refresh tokens, browser sessions), e.g. when a spent
     * authorization code is presented again; {@code reason} goes to the audit trail.
     */
    void endAll(String tenant, String userId, String reason);
}
