package io.latchkey.cloud.identity;

import io.latchkey.cloud.http.Problem;
import io.latchkey.cloud.tenant.TenantDirectory;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.Map;
import java.util.Optional;

/** The OAuth2 token endpoints (RFC 6749): a tenant's users and the platform admins sign in here. */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class TokenController {
    private final TenantDirectory tenants;
    private final UserDirectory users;
    private final PasswordSignIn signIn;
    private final SessionPolicy sessions;
    private final PlatformAdmins admins;
    private final TokenService tokens;
    private final RefreshTokens refreshTokens;
    private final OAuthClients clients;
    private final AuthorizationCodes codes;

    public TokenController(TenantDirectory tenants, UserDirectory users, PasswordSignIn signIn, SessionPolicy sessions,
                           PlatformAdmins admins, TokenService tokens, RefreshTokens refreshTokens, OAuthClients clients,
                           AuthorizationCodes codes) {
        this.tenants = tenants;
        this.users = users;
        this.signIn = signIn;
        this.sessions = sessions;
        this.admins = admins;
        this.tokens = tokens;
        this.refreshTokens = refreshTokens;
        this.clients = clients;
        this.codes = codes;
    }

    @Operation(summary = "Tenant sign-in: grant_type=password (username = e-mail), grant_type=authorization_code (code, redirect_uri, client_id, code_verifier; registered public clients other than the backend's own web apps) or grant_type=refresh_token")
    @ApiResponse(responseCode = "200", description = "the tokens; Cache-Control: no-store", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "invalid_request (a field missing), invalid_grant (wrong e-mail or password, account locked or terminated; code invalid, expired, spent, of another client, another redirect_uri or a code_verifier that does not match; refresh token invalid, expired or spent), unauthorized_client (the backend's own web apps redeem their codes themselves), unsupported_grant_type",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OAuthError.class)))
    @ApiResponse(responseCode = "401", description = "invalid_client (unknown client_id, as OAuthError), or a bearer token was sent and does not verify (send none here)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post(uri = "/t/{tenant}/oauth/token", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<TokenResponse> tenantToken(@PathVariable String tenant, @Body Map<String, String> form) {
        tenants.require(tenant);
        String grant = form.get("grant_type");
        if ("password".equals(grant)) {
            UserAccount user = signIn.withPassword(tenant, require(form, "username"), require(form, "password"))
                    .orElseThrow(() -> new OAuthException("invalid_grant", "wrong e-mail or password"));
            return respond(tenant, user, refreshTokens.issue(tenant, user.id()));
        }
        if ("authorization_code".equals(grant)) {
            String code = require(form, "code");
            String redirectUri = require(form, "redirect_uri");
            String verifier = require(form, "code_verifier");
            OAuthClient client = clients.find(tenant, require(form, "client_id"))
                    .orElseThrow(() -> new OAuthException("invalid_client", "unknown client_id"));
            if (client.backend()) {
                throw new OAuthException("unauthorized_client", "the backend's own web apps redeem their codes themselves");
            }
            String userId = codes.redeem(tenant, code, client.id(), redirectUri, verifier);
            UserAccount user = users.find(tenant, userId).filter(u -> !u.terminated())
                    .orElseThrow(() -> new OAuthException("invalid_grant", "the account no longer exists"));
            return respond(tenant, user, refreshTokens.issue(tenant, user.id()));
        }
        if ("refresh_token".equals(grant)) {
            RefreshTokens.Rotated rotated = refreshTokens.rotate(tenant, require(form, "refresh_token"),
                            (userId, issuedAt) -> sessions.admitsRefresh(tenant, userId, issuedAt))
                    .orElseThrow(() -> new OAuthException("invalid_grant", "refresh token is invalid, expired or already used"));
            UserAccount user = users.find(tenant, rotated.userId()).filter(u -> !u.terminated())
                    .orElseThrow(() -> new OAuthException("invalid_grant", "the account no longer exists"));
            return respond(tenant, user, rotated.refreshToken());
        }
        throw unsupported(grant);
    }

    @Operation(summary = "Platform admin sign-in: grant_type=password")
    @ApiResponse(responseCode = "200", description = "the access token; Cache-Control: no-store", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "invalid_request (a field missing), invalid_grant (wrong user or password, or locked), unsupported_grant_type",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OAuthError.class)))
    @ApiResponse(responseCode = "401", description = "a bearer token was sent and does not verify (send none here)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post(uri = "/platform/oauth/token", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public HttpResponse<TokenResponse> platformToken(@Body Map<String, String> form) {
        String grant = form.get("grant_type");
        if (!"password".equals(grant)) {
            throw unsupported(grant);
        }
        String user = admins.authenticate(require(form, "username"), require(form, "password"))
                .orElseThrow(() -> new OAuthException("invalid_grant", "wrong user or password"));
        String access = tokens.issue(null, user, java.util.List.of(Roles.PLATFORM_ADMIN));
        return noStore(new TokenResponse(access, "Bearer", tokens.expiresInSeconds(), null, Roles.PLATFORM_ADMIN));
    }

    private HttpResponse<TokenResponse> respond(String tenant, UserAccount user, String refreshToken) {
        String access = tokens.issue(tenant, user.id(), user.roles(), sessions.sessionVersion(tenant, user.id()));
        return noStore(new TokenResponse(access, "Bearer", tokens.expiresInSeconds(), refreshToken,
                String.join(" ", user.roles())));
    }

    private static HttpResponse<TokenResponse> noStore(TokenResponse body) {
        return HttpResponse.ok(body).header("Cache-Control", "no-store").header("Pragma", "no-cache");
    }

    private static String require(Map<String, String> form, String name) {
        return Optional.ofNullable(form.get(name)).filter(v -> !v.isEmpty())
                .orElseThrow(() -> new OAuthException("invalid_request", name + " is required"));
    }

    private static OAuthException unsupported(String grant) {
        return grant == null ? new OAuthException("invalid_request", "grant_type is required")
                : new OAuthException("unsupported_grant_type", "grant_type must be password, authorization_code or refresh_token");
    }
}
