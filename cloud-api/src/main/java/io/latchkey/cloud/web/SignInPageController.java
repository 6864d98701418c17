package io.latchkey.cloud.web;

import io.latchkey.cloud.http.PublicUrl;
import io.latchkey.cloud.identity.AuthorizationCodes;
import io.latchkey.cloud.identity.OAuthClients;
import io.latchkey.cloud.identity.PasswordSignIn;
import io.latchkey.cloud.identity.UserAccount;
import io.latchkey.cloud.tenant.TenantDirectory;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tenant's authorization endpoint (authorization code flow with PKCE): the sign-in page, and its form. The
 * form signs in through {@link PasswordSignIn}, the one rule the password grant uses too (lockouts, counting,
 * audit of refusals), and answers a code with a 303 to the client's registered redirect URI. HTML, not JSON:
 * hidden from the OpenAPI document; see docs/api.md "Signing in from a browser".
 */
@Controller("/t/{tenant}/oauth/authorize")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
public class SignInPageController {
    static final String WRONG = "Wrong e-mail or password, or the account is locked. Check both and try again.";

    private final TenantDirectory tenants;
    private final OAuthClients clients;
    private final PasswordSignIn signIn;
    private final AuthorizationCodes codes;
    private final FormCsrf csrf;
    private final PublicUrl publicUrl;

    public SignInPageController(TenantDirectory tenants, OAuthClients clients, PasswordSignIn signIn,
                                AuthorizationCodes codes, FormCsrf csrf, PublicUrl publicUrl) {
        this.tenants = tenants;
        this.clients = clients;
        this.signIn = signIn;
        this.codes = codes;
        this.csrf = csrf;
        this.publicUrl = publicUrl;
    }

    @Get
    @Produces(MediaType.TEXT_HTML)
    public MutableHttpResponse<String> page(@PathVariable String tenant, HttpRequest<?> request) {
        tenants.require(tenant);
        Map<String, String> query = new HashMap<>();
        for (String name : AuthorizationRequest.FIELDS) {
            request.getParameters().getFirst(name).ifPresent(v -> query.put(name, v));
        }
        return answer(tenant, AuthorizationRequest.of(query), request, null, Optional.empty());
    }

    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public MutableHttpResponse<String> signIn(@PathVariable String tenant, @Body Map<String, String> form,
                                              HttpRequest<?> request) {
        tenants.require(tenant);
        AuthorizationRequest authorization = AuthorizationRequest.of(form);
        if (!csrf.admits(request, form.get("csrf"))) {
            return Page.html(HttpStatus.FORBIDDEN, "Sign-in expired",
                    Page.error("This form expired or was sent from another site. Nothing was signed in.")
                            + Page.paragraph("Go back to the application and sign in again."));
        }
        String email = form.getOrDefault("email", "");
        return answer(tenant, authorization, request, email, Optional.of(form.getOrDefault("password", "")));
    }

    private MutableHttpResponse<String> answer(String tenant, AuthorizationRequest authorization, HttpRequest<?> request,
                                               String email, Optional<String> password) {
        String issuer = publicUrl.tenantIssuer(tenant);
        AuthorizationRequest.Checked checked = authorization.check(tenant, clients, issuer);
        if (checked instanceof AuthorizationRequest.Refused refused) {
            return Page.html(HttpStatus.BAD_REQUEST, "Cannot sign in", Page.error(refused.reason())
                    + Page.paragraph("Nothing was sent to the application. Open it again from its usual address."));
        }
        if (checked instanceof AuthorizationRequest.RedirectedError error) {
            return HttpResponse.<String>seeOther(URI.create(error.location())).header("Cache-Control", "no-store");
        }
        AuthorizationRequest.Valid valid = (AuthorizationRequest.Valid) checked;
        String formToken = csrf.tokenFor(request);
        if (password.isEmpty()) {
            return csrf.remember(form(tenant, authorization, formToken, null, null, HttpStatus.OK), formToken);
        }
        Optional<UserAccount> user = email.isBlank() || password.get().isEmpty() ? Optional.empty()
                : signIn.withPassword(tenant, email, password.get());
        if (user.isEmpty()) {
            return form(tenant, authorization, formToken, email, WRONG, HttpStatus.BAD_REQUEST);
        }
        String code = codes.issue(tenant, valid.client(), authorization.redirectUri(), authorization.codeChallenge(), user.get().id());
        return HttpResponse.<String>seeOther(URI.create(authorization.success(code, issuer))).header("Cache-Control", "no-store");
    }

    private MutableHttpResponse<String> form(String tenant, AuthorizationRequest authorization, String formToken,
                                             String email, String error, HttpStatus status) {
        StringBuilder fields = new StringBuilder();
        fields.append(Page.hidden("client_id", authorization.clientId()))
                .append(Page.hidden("redirect_uri", authorization.redirectUri()))
                .append(Page.hidden("response_type", authorization.responseType()))
                .append(Page.hidden("state", authorization.state()))
                .append(Page.hidden("code_challenge", authorization.codeChallenge()))
                .append(Page.hidden("code_challenge_method", authorization.codeChallengeMethod()))
                .append(Page.field("email", "E-mail", "email", "username", email, email == null))
                .append(Page.field("password", "Password", "password", "current-password", null, email != null));
        String body = (error == null ? "" : Page.error(error))
                + Page.paragraph("Sign in to " + tenant + " with your e-mail and password.")
                + Page.form("/t/" + tenant + "/oauth/authorize", formToken, fields.toString(), "Sign in")
                + Page.link("/t/" + tenant + "/reset-password", "Forgot your password?");
        return Page.html(status, "Sign in", body, List.of(authorization.redirectOrigin()));
    }
}
