package io.latchkey.cloud.admin;

import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.account.AccountAudit;
import io.latchkey.cloud.http.Problem;
import io.latchkey.cloud.identity.Roles;
import io.latchkey.cloud.identity.SigningKeys;
import io.latchkey.cloud.identity.TokenConfig;
import io.latchkey.cloud.tenant.CommandKeys;
import io.latchkey.cloud.tenant.TenantDirectory;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Key rotation without logging anybody out. {@code token}: a new ES256 key signs access tokens from now
 * on; the old keys stay in the JWKS and keep verifying until every token they signed has expired
 * ({@code latchkey.tokens.access-ttl}). {@code command}: the pre-published next command key starts
 * signing and a new next key is published.
 */
@Controller("/t/{tenant}/keys/rotate")
@ExecuteOn(TaskExecutors.BLOCKING)
public class KeyController {
    private final TenantDirectory tenants;
    private final SigningKeys signingKeys;
    private final CommandKeys commandKeys;
    private final TokenConfig tokenConfig;
    private final AccountAudit audit;
    private final Clock clock;
    private final io.latchkey.cloud.device.KeySetPublisher keySets;

    /**
     * @param key {@code token}, {@code command} or {@code keyset}, required: rotation cannot be undone, so a body that does
     *            not say which key (empty, not JSON, a typo in the field name) rotates nothing
     */
    @Serdeable
    public record Rotation(@Nullable String key) {
    }

    @Serdeable
    public record Rotated(String key, String kid) {
    }

    public KeyController(TenantDirectory tenants, SigningKeys signingKeys, CommandKeys commandKeys,
                         TokenConfig tokenConfig, AccountAudit audit, Clock clock, io.latchkey.cloud.device.KeySetPublisher keySets) {
        this.keySets = keySets;
        this.tenants = tenants;
        this.signingKeys = signingKeys;
        this.commandKeys = commandKeys;
        this.tokenConfig = tokenConfig;
        this.audit = audit;
        this.clock = clock;
    }

    @Operation(summary = "Rotate the tenant's token-signing key ({\"key\":\"token\"}), command key ({\"key\":\"command\"}; devices get it in a new signed key set) or key-set signing key ({\"key\":\"keyset\"}), without logging anybody out; a body without a valid key is 400 and rotates nothing")
    @ApiResponse(responseCode = "200", description = "rotated: the key and its new kid", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "no body, or key is missing or not token, command or keyset; nothing rotated",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it (tenant-admins only)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post
    @Secured(Roles.TENANT_ADMIN)
    public Rotated rotate(@PathVariable String tenant, @Nullable @Body Rotation body, Authentication caller) {
        tenants.require(tenant);
        if (body == null || body.key() == null) {
            throw new InvalidRequestException("key is required: token, command or keyset");
        }
        String key = body.key();
        String kid = switch (key) {
            case "token" -> {
                Instant now = clock.instant();
                // exp in a JWK is whole seconds: round up, so no token outlives its key
                Instant keepUntil = now.plus(tokenConfig.accessTtl()).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
                yield signingKeys.rotate(tenant, now, keepUntil);
            }
            case "command" -> {
                String rotated = commandKeys.rotate(tenant);
                keySets.publish(tenant); // the devices' key set lists the new next key
                yield rotated;
            }
            case "keyset" -> keySets.rotate(tenant, caller.getName());
            default -> throw new InvalidRequestException("key must be token, command or keyset");
        };
        audit.record(tenant, caller.getName(), "keys.rotate", "keys/" + key, "OK");
        return new Rotated(key, kid);
    }
}
