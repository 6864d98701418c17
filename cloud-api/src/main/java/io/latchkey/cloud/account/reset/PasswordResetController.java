package io.latchkey.cloud.account.reset;

import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.tenant.TenantDirectory;
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
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import java.util.Map;

/** Password reset for users who cannot sign in: open to anonymous callers, proven by the mailed link. */
@Controller("/t/{tenant}/password-resets")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class PasswordResetController {
    private final TenantDirectory tenants;
    private final PasswordResets resets;

    @Serdeable
    public record ResetRequest(@Nullable String email) {
        @Override
        public String toString() {
            return "ResetRequest";
        }
    }

    @Serdeable
    public record NewPassword(@Nullable String newPassword) {
        @Override
        public String toString() {
            return "NewPassword";
        }
    }

    public PasswordResetController(TenantDirectory tenants, PasswordResets resets) {
        this.tenants = tenants;
        this.resets = resets;
    }

    @Operation(summary = "Start a reset: mails a link if the e-mail has an account; always 202, never says which")
    @Post
    public HttpResponse<Void> start(@PathVariable String tenant, @Body ResetRequest body) {
        tenants.require(tenant);
        if (body.email() == null || body.email().isBlank()) {
            throw new InvalidRequestException("email is required");
        }
        resets.start(tenant, body.email());
        return HttpResponse.accepted();
    }

    @Operation(summary = "Where the reset stands: which PII questions are open, when it expires")
    @Get("/{token}")
    public HttpResponse<ResetState> state(@PathVariable String tenant, @PathVariable String token) {
        tenants.require(tenant);
        return noStore(resets.state(tenant, token));
    }

    @Operation(summary = "Answer every open PII question together, e.g. {\"phone\":\"+49 30 1234567\",\"dateOfBirth\":\"1990-04-30\"}; a set with any wrong answer is one failure (400) that does not say which")
    @Post("/{token}/answers")
    public HttpResponse<ResetState> answer(@PathVariable String tenant, @PathVariable String token,
                                           @Body Map<String, String> answers) {
        tenants.require(tenant);
        return noStore(resets.answer(tenant, token, answers));
    }

    @Operation(summary = "Set the new password once no question is open; ends every session of the account")
    @Post("/{token}")
    public HttpResponse<Void> complete(@PathVariable String tenant, @PathVariable String token, @Body NewPassword body) {
        tenants.require(tenant);
        resets.complete(tenant, token, body.newPassword());
        return HttpResponse.noContent();
    }

    private static <T> HttpResponse<T> noStore(T body) {
        return HttpResponse.ok(body).header("Cache-Control", "no-store");
    }
}
