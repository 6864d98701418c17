package io.latchkey.cloud.identity;

import java.time.Instant;
import java.util.List;

/**
 * The verified claims of an access token.
 *
 * @param tenant   the tenant it was issued for, or {@code null} for a platform token
 * @param sessionVersion the account's session version when it was issued ({@code sv}); null for the platform
 */
public record AccessToken(String subject, String tenant, List<String> roles, String id, Integer sessionVersion,
                          Instant expiresAt) {
}
