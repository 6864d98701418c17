package io.latchkey.cloud.web;

import io.latchkey.cloud.NotFoundException;
import io.latchkey.cloud.account.AccountAudit;
import io.latchkey.cloud.http.Problem;
import io.latchkey.cloud.http.PublicUrl;
import io.latchkey.cloud.identity.AuthorizationCodes;
import io.latchkey.cloud.identity.OAuthClient;
import io.latchkey.cloud.identity.OAuthClients;
import io.latchkey.cloud.identity.OAuthException;
import io.latchkey.cloud.identity.Pkce;
import io.latchkey.cloud.identity.UserAccount;
import io.latchkey.cloud.identity.UserDirectory;
import io.latchkey.cloud.tenant.TenantDirectory;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The backend-for-frontend of the backend's own web apps ({@value OAuthClients#CONSOLE}, {@value OAuthClients#APP}):
 * it is their OAuth client. It starts the authorization code flow with PKCE at the tenant's issuer, keeps state and
 * verifier on the server, redeems the code in process through {@link AuthorizationCodes} (the same rules as the token
 * endpoint), and gives the browser only an {@code HttpOnly; Secure; SameSite=Strict} {@code __Host-} session cookie:
 * no token ever reaches the browser, a URL or its storage.
 */
@Controller("/t/{tenant}/session")
@ExecuteOn(TaskExecutors.BLOCKING)
public class SessionController {
    /** Where each web app starts once signed in. */
    static final Map<String, String> LANDING = Map.of(OAuthClients.CONSOLE, "/console/", OAuthClients.APP, "/app/");

    private final TenantDirectory tenants;
    private final OAuthClients clients;
    private final WebSignIns signIns;
    private final AuthorizationCodes codes;
    private final WebSessions sessions;
    private final UserDirectory users;
    private final AccountAudit audit;
    private final PublicUrl publicUrl;

    /** The caller's browser session: who, with which roles, and the token for {@code X-CSRF-Token}. */
    @Serdeable
    public record SessionView(String userId, List<String> roles, String clientId, String csrfToken, Instant expiresAt) {
        @Override
        public String toString() {
            return "SessionView[" + userId + "]";
        }
    }

    public SessionController(TenantDirectory tenants, OAuthClients clients, WebSignIns signIns, AuthorizationCodes codes,
                             WebSessions sessions, UserDirectory users, AccountAudit audit, PublicUrl publicUrl) {
        this.tenants = tenants;
        this.clients = clients;
        this.signIns = signIns;
        this.codes = codes;
        this.sessions = sessions;
        this.users = users;
        this.audit = audit;
        this.publicUrl = publicUrl;
    }

    /** Starts a sign-in for one of the web apps: a 303 to the tenant's authorization endpoint. */
    @Get("/sign-in")
    @Secured(SecurityRule.IS_ANONYMOUS)
    @Hidden
    public MutableHttpResponse<?> signIn(@PathVariable String tenant, @QueryValue @Nullable String client) {
        tenants.require(tenant);
        String clientId = client == null ? OAuthClients.CONSOLE : client;
        if (!OAuthClients.isBuiltIn(clientId)) {
            return Page.html(HttpStatus.BAD_REQUEST, "Cannot sign in",
                    Page.error("client must be " + OAuthClients.CONSOLE + " or " + OAuthClients.APP + "."));
        }
        WebSignIns.Started started = signIns.start(tenant, clientId);
        String location = publicUrl.tenantIssuer(tenant) + "/oauth/authorize?response_type=code&client_id=" + encode(clientId)
                + "&redirect_uri=" + encode(clients.callback(tenant)) + "&state=" + encode(started.state())
                + "&code_challenge=" + encode(started.codeChallenge()) + "&code_challenge_method=" + Pkce.S256;
        MutableHttpResponse<?> response = HttpResponse.seeOther(URI.create(location)).header("Cache-Control", "no-store");
        BrowserCookies.set(response, BrowserCookies.signIn(tenant), started.cookieValue(), "Strict", WebSignIns.LIFETIME);
        return response;
    }

    /** The redirect URI of the web apps: redeems the code, starts the session, 303 to the app. */
    @Get("/callback")
    @Secured(SecurityRule.IS_ANONYMOUS)
    @Produces(MediaType.TEXT_HTML)
    @Hidden
    public MutableHttpResponse<String> callback(@PathVariable String tenant, HttpRequest<?> request) {
        tenants.require(tenant);
        String issuer = publicUrl.tenantIssuer(tenant);
        Optional<String> cookie = BrowserCookies.read(request, BrowserCookies.signIn(tenant));
        Optional<String> code = request.getParameters().getFirst("code");
        Optional<String> iss = request.getParameters().getFirst("iss");
        Optional<WebSignIns.Pending> pending = cookie.flatMap(c -> signIns.take(tenant, c,
                request.getParameters().getFirst("state").orElse(null)));
        if (pending.isEmpty() || code.isEmpty() || iss.isPresent() && !iss.get().equals(issuer)) {
            return failed(tenant, pending.map(WebSignIns.Pending::clientId).orElse(OAuthClients.CONSOLE));
        }
        OAuthClient client = clients.find(tenant, pending.get().clientId()).orElseThrow();
        UserAccount user;
        try {
            String userId = codes.redeem(tenant, code.get(), client.id(), clients.callback(tenant), pending.get().verifier());
            user = users.find(tenant, userId).filter(u -> !u.terminated()).orElse(null);
        } catch (OAuthException e) {
            user = null;
        }
        if (user == null) {
            return failed(tenant, client.id());
        }
        WebSessions.Created created = sessions.create(tenant, user, client.id());
        audit.record(tenant, user.id(), "user.session.start", AccountAudit.user(user.id()), "OK_" + client.id());
        MutableHttpResponse<String> response = HttpResponse.<String>seeOther(URI.create(issuer + LANDING.get(client.id())))
                .header("Cache-Control", "no-store");
        BrowserCookies.clear(response, BrowserCookies.signIn(tenant));
        BrowserCookies.set(response, BrowserCookies.session(tenant), created.cookieValue(), "Strict", null);
        return response;
    }

    @Operation(summary = "The caller's browser session (web apps only): user, roles, expiry, and the CSRF token that every state-changing call of the session sends in X-CSRF-Token")
    @ApiResponse(responseCode = "200", description = "the session; Cache-Control: no-store", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "no valid browser session (or access token) of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "called with an access token: there is no browser session",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get
    @Secured(SecurityRule.IS_AUTHENTICATED)
    public HttpResponse<SessionView> current(@PathVariable String tenant, HttpRequest<?> request) {
        WebSessions.Active session = sessionOf(request);
        return HttpResponse.ok(new SessionView(session.userId(), session.roles(), session.clientId(), session.csrfToken(),
                session.expiresAt())).header("Cache-Control", "no-store");
    }

    @Operation(summary = "Sign out of the browser session: ends it on the server and clears the cookie (send X-CSRF-Token)")
    @ApiResponse(responseCode = "204", description = "the session is ended; its cookie is worth nothing anywhere")
    @ApiResponse(responseCode = "401", description = "no valid browser session (or access token) of this tenant, or no valid X-CSRF-Token, or another Origin",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "called with an access token: there is no browser session",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post("/logout")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    public MutableHttpResponse<Void> logout(@PathVariable String tenant, HttpRequest<?> request) {
        WebSessions.Active session = sessionOf(request);
        sessions.end(tenant, session.key());
        audit.record(tenant, session.userId(), "user.sign-out", AccountAudit.user(session.userId()), "OK_" + session.clientId());
        MutableHttpResponse<Void> response = HttpResponse.noContent();
        BrowserCookies.clear(response, BrowserCookies.session(tenant));
        return response;
    }

    private static WebSessions.Active sessionOf(HttpRequest<?> request) {
        return request.getAttribute(SessionAuthenticationFetcher.SESSION_ATTRIBUTE, WebSessions.Active.class)
                .orElseThrow(() -> new NotFoundException("no browser session: this route is for the web apps' session cookie"));
    }

    private MutableHttpResponse<String> failed(String tenant, String clientId) {
        MutableHttpResponse<String> response = Page.html(HttpStatus.BAD_REQUEST, "Sign-in did not complete",
                Page.paragraph("The sign-in expired, was already used, or did not start here. Nothing was signed in.")
                        + Page.link("/t/" + tenant + "/session/sign-in?client=" + encode(clientId), "Sign in again"));
        BrowserCookies.clear(response, BrowserCookies.signIn(tenant));
        return response;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
