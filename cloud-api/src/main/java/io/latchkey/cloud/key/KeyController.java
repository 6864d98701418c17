package io.latchkey.cloud.key;

import io.latchkey.cloud.http.Problem;
import io.latchkey.cloud.identity.Caller;
import io.latchkey.cloud.identity.Roles;
import io.latchkey.protocol.key.TenantSigned;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.SerdeImport;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.List;

/**
 * Offline keys (docs/offline-keys.md): a borrower or co-driver gets a tenant-signed credential for their phone's key,
 * lists and revokes keys; everybody of the tenant fetches the signed revocation list their phone carries to cars.
 */
@Controller("/t/{tenant}")
@ExecuteOn(TaskExecutors.BLOCKING)
@SerdeImport(TenantSigned.class)
public class KeyController {
    private final KeyService keys;
    private final Revocations revocations;

    /**
     * @param publicKey   base64url of the holder's 65-byte uncompressed P-256 point
     * @param rights      of {@code UNLOCK}, {@code LOCK}, {@code START}; default: the borrower's {@code UNLOCK, LOCK},
     *                    a co-driver's the parent key's
     * @param parentKeyId a co-driver's: the borrower's key theirs derives from (default: the borrower's newest valid one)
     */
    @Serdeable
    public record KeyRequest(@Nullable String publicKey, @Nullable List<String> rights, @Nullable String parentKeyId) {
    }

    /** What a lost-phone revocation revoked. */
    @Serdeable
    public record Revoked(List<IssuedKey.View> revoked) {
    }

    public KeyController(KeyService keys, Revocations revocations) {
        this.keys = keys;
        this.revocations = revocations;
    }

    @Operation(summary = "Issue an offline key credential for the caller's phone key (the booking's borrower, or a co-driver named on it), signed with the tenant's command key; its window is the booking's (a co-driver's at most its parent's) and lasts at most latchkey.keys.lifetime from now (docs/offline-keys.md §2, §5)")
    @ApiResponse(responseCode = "201", description = "the envelope {signerKeyId, document, signature}: document is base64url of the credential's JSON; the key is listed under GET /t/{tenant}/bookings/{id}/keys (it has no URL of its own)", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "publicKey missing or not a P-256 point; rights empty, unknown, or wider than the parent's; parentKeyId not a key of the borrower of this booking, or named by the borrower",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "neither the booking's borrower nor a co-driver named on it",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown booking",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "the booking is cancelled, ended or a no-show, or starts more than latchkey.keys.lifetime ahead; the car's device has no certificate yet; the parent key is revoked or expired, or the borrower holds no valid key to share; the public key is one revoked for this booking (a lost phone gets no new credential)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post("/bookings/{id}/keys")
    @Secured(Roles.BORROWER)
    public HttpResponse<TenantSigned> issue(@PathVariable String tenant, @PathVariable String id, @Body KeyRequest body,
                                           Authentication caller) {
        return HttpResponse.created(keys.issue(tenant, id, Caller.of(caller), body.publicKey(), body.rights(), body.parentKeyId())
                .envelope());
    }

    @Operation(summary = "The offline keys of a booking, without key material: operators and tenant-admins all of them, its borrower and co-drivers the keys they hold")
    @ApiResponse(responseCode = "200", description = "the keys, in the order they were issued", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "neither its borrower, a co-driver, nor an operator",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown booking",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get("/bookings/{id}/keys")
    @Secured({Roles.BORROWER, Roles.OPERATOR, Roles.TENANT_ADMIN})
    public List<IssuedKey.View> list(@PathVariable String tenant, @PathVariable String id, Authentication caller) {
        return keys.list(tenant, id, Caller.of(caller));
    }

    @Operation(summary = "Revoke an offline key (and the co-drivers' keys derived from it): an operator or tenant-admin, the key's holder, or its booking's borrower; it enters the signed revocation list with a higher serial, published to the tenant's cars")
    @ApiResponse(responseCode = "200", description = "the key, revoked (revoking it again changes nothing)", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "not its holder, its booking's borrower, or an operator",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown key",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post("/keys/{keyId}/revoke")
    @Secured({Roles.BORROWER, Roles.OPERATOR, Roles.TENANT_ADMIN})
    public IssuedKey.View revoke(@PathVariable String tenant, @PathVariable String keyId, Authentication caller) {
        return keys.revoke(tenant, keyId, Caller.of(caller)).view();
    }

    @Operation(summary = "A lost phone: revoke every valid offline key the caller holds")
    @ApiResponse(responseCode = "200", description = "the keys this call revoked (none when there were none)", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "not a borrower",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post("/users/me/keys/revoke")
    @Secured(Roles.BORROWER)
    public Revoked revokeMine(@PathVariable String tenant, Authentication caller) {
        return new Revoked(keys.revokeAllOf(tenant, Caller.of(caller)).stream().map(IssuedKey::view).toList());
    }

    @Operation(summary = "The tenant's newest signed revocation list of offline keys, for phones to carry to cars that are offline (docs/offline-keys.md §6)")
    @ApiResponse(responseCode = "200", description = "the envelope {signerKeyId, document, signature}: document is base64url of {v, type, tenant, serial, issuedAt, entries:[{keyId, notAfter}]}", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get("/keys/revocations")
    @Secured({Roles.BORROWER, Roles.OWNER, Roles.OPERATOR, Roles.INSTALLER, Roles.TENANT_ADMIN})
    public TenantSigned revocations(@PathVariable String tenant) {
        return revocations.current(tenant);
    }
}
