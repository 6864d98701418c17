package io.latchkey.cloud.web;

import io.latchkey.cloud.ConflictException;
import io.latchkey.cloud.ForbiddenException;
import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.NotFoundException;
import io.latchkey.cloud.account.reset.PasswordResets;
import io.latchkey.cloud.account.reset.ResetState;
import io.latchkey.cloud.tenant.TenantDirectory;
import io.micronaut.http.HttpRequest;
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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Password reset from a browser, page by page, on top of {@link PasswordResets} (the rules of the reset API, unchanged):
 * ask for the link; the mailed link's page ({@code /t/{tenant}/reset-password/{token}}); the PII questions; the new
 * password. Every form is CSRF-protected like the sign-in form. HTML: hidden from the OpenAPI document.
 */
@Controller("/t/{tenant}/reset-password")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Produces(MediaType.TEXT_HTML)
@Hidden
public class ResetPageController {
    static final Map<String, String[]> QUESTIONS = Map.of(
            "phone", new String[]{"Your phone number", "tel", "tel"},
            "driverLicence", new String[]{"Your driving licence number", "text", "off"},
            "dateOfBirth", new String[]{"Your date of birth (YYYY-MM-DD)", "date", "bday"});

    private final TenantDirectory tenants;
    private final PasswordResets resets;
    private final FormCsrf csrf;

    public ResetPageController(TenantDirectory tenants, PasswordResets resets, FormCsrf csrf) {
        this.tenants = tenants;
        this.resets = resets;
        this.csrf = csrf;
    }

    @Get
    public MutableHttpResponse<String> requestPage(@PathVariable String tenant, HttpRequest<?> request) {
        tenants.require(tenant);
        String token = csrf.tokenFor(request);
        return csrf.remember(Page.html(HttpStatus.OK, "Reset your password", requestForm(tenant, token)), token);
    }

    @Post(consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public MutableHttpResponse<String> request(@PathVariable String tenant, @Body Map<String, String> form,
                                               HttpRequest<?> request) {
        tenants.require(tenant);
        if (!csrf.admits(request, form.get("csrf"))) {
            return expired();
        }
        String email = form.getOrDefault("email", "").strip();
        if (email.isEmpty()) {
            return Page.html(HttpStatus.BAD_REQUEST, "Reset your password",
                    Page.error("Enter the e-mail address of your account.") + requestForm(tenant, form.get("csrf")));
        }
        resets.start(tenant, email);
        return Page.html(HttpStatus.OK, "Check your mail", Page.paragraph(
                "If an account can be reset with this address, a link is on its way to it. Open it on this device; it works once and expires soon."));
    }

    @Get("/{token}")
    public MutableHttpResponse<String> linkPage(@PathVariable String tenant, @PathVariable String token, HttpRequest<?> request) {
        tenants.require(tenant);
        String formToken = csrf.tokenFor(request);
        return csrf.remember(guarded(tenant, () -> next(tenant, token, formToken, resets.state(tenant, token), null, HttpStatus.OK)), formToken);
    }

    @Post(uri = "/{token}/answers", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public MutableHttpResponse<String> answers(@PathVariable String tenant, @PathVariable String token,
                                               @Body Map<String, String> form, HttpRequest<?> request) {
        tenants.require(tenant);
        if (!csrf.admits(request, form.get("csrf"))) {
            return expired();
        }
        Map<String, String> answers = new LinkedHashMap<>(form);
        answers.remove("csrf");
        return guarded(tenant, () -> {
            try {
                return next(tenant, token, form.get("csrf"), resets.answer(tenant, token, answers), null, HttpStatus.OK);
            } catch (InvalidRequestException e) {
                return next(tenant, token, form.get("csrf"), resets.state(tenant, token), sentence(e.getMessage()), HttpStatus.BAD_REQUEST);
            }
        });
    }

    @Post(uri = "/{token}", consumes = MediaType.APPLICATION_FORM_URLENCODED)
    public MutableHttpResponse<String> newPassword(@PathVariable String tenant, @PathVariable String token,
                                                   @Body Map<String, String> form, HttpRequest<?> request) {
        tenants.require(tenant);
        if (!csrf.admits(request, form.get("csrf"))) {
            return expired();
        }
        return guarded(tenant, () -> {
            try {
                resets.complete(tenant, token, form.get("newPassword"));
            } catch (InvalidRequestException e) {
                return next(tenant, token, form.get("csrf"), resets.state(tenant, token), sentence(e.getMessage()), HttpStatus.BAD_REQUEST);
            }
            return Page.html(HttpStatus.OK, "Password changed", Page.paragraph(
                    "Your new password is set. Every session of your account was signed out; sign in again in the app."));
        });
    }

    /** The questions while any is open, then the new password. */
    private MutableHttpResponse<String> next(String tenant, String token, String formToken, ResetState state, String error,
                                             HttpStatus status) {
        String base = "/t/" + tenant + "/reset-password/" + token;
        String errorHtml = error == null ? "" : Page.error(error);
        if (!state.readyForPassword()) {
            StringBuilder fields = new StringBuilder();
            boolean first = true;
            for (String question : state.challenges()) {
                String[] q = QUESTIONS.getOrDefault(question, new String[]{question, "text", "off"});
                fields.append(Page.field(question, q[0], q[1], q[2], null, first));
                first = false;
            }
            return Page.html(status, "Confirm it is you", errorHtml + Page.paragraph(
                    "Answer with the details your account holds. " + state.attemptsLeft()
                            + " wrong answer(s) left before the account is locked for good.")
                    + Page.form(base + "/answers", formToken, fields.toString(), "Continue"));
        }
        return Page.html(status, "Choose a new password", errorHtml
                + Page.paragraph("At least 12 characters; a long phrase is best.")
                + Page.form(base, formToken, Page.field("newPassword", "New password", "password", "new-password", null, true),
                "Set the new password"));
    }

    private static MutableHttpResponse<String> guarded(String tenant, Supplier<MutableHttpResponse<String>> page) {
        try {
            return page.get();
        } catch (NotFoundException e) {
            return Page.html(HttpStatus.NOT_FOUND, "Link not valid", Page.paragraph(
                    "This reset link is unknown, expired or already used. Ask for a new one.") + Page.link("/t/" + tenant + "/reset-password", "Reset your password"));
        } catch (ForbiddenException e) {
            return Page.html(HttpStatus.FORBIDDEN, "Account locked", Page.error(sentence(e.getMessage())));
        } catch (ConflictException e) {
            return Page.html(HttpStatus.CONFLICT, "Please try again", Page.paragraph("Other answers for this account are being checked. Try again in a moment."));
        }
    }

    private String requestForm(String tenant, String formToken) {
        return Page.paragraph("Enter the e-mail address of your account. We will send a link to reset the password.")
                + Page.form("/t/" + tenant + "/reset-password", formToken,
                Page.field("email", "E-mail", "email", "username", null, true), "Send the link");
    }

    private static MutableHttpResponse<String> expired() {
        return Page.html(HttpStatus.FORBIDDEN, "Form expired",
                Page.error("This form expired or was sent from another site. Nothing was changed.")
                        + Page.paragraph("Reload the page and try again."));
    }

    private static String sentence(String message) {
        return message.isEmpty() ? message : Character.toUpperCase(message.charAt(0)) + message.substring(1) + ".";
    }
}
