package io.latchkey.cloud.account.reset;

import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.http.Problem;
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
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
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
    @ApiResponse(responseCode = "202", description = "accepted, whether or not the e-mail has an account")
    @ApiResponse(responseCode = "400", description = "malformed JSON body, email missing",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "a bearer token was sent and does not verify (send none here)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
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
    @ApiResponse(responseCode = "200", description = "the open questions and the expiry; Cache-Control: no-store", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "a bearer token was sent and does not verify (send none here)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "the account is locked for good",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown tenant; unknown, expired or used link",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get("/{token}")
    public HttpResponse<ResetState> state(@PathVariable String tenant, @PathVariable String token) {
        tenants.require(tenant);
        return noStore(resets.state(tenant, token));
    }

    @Operation(summary = "Answer every open PII question together, e.g. {\"phone\":\"+49 30 1234567\",\"dateOfBirth\":\"1990-04-30\"}; a set with any wrong answer is one failure (400) that does not say which")
    @ApiResponse(responseCode = "200", description = "all answers right: the new state; Cache-Control: no-store", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "malformed JSON body, not exactly the open questions, or a wrong answer among them (attempts left in the detail)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "a bearer token was sent and does not verify (send none here)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "the account is locked for good (also by this wrong answer)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown tenant; unknown, expired or used link",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "other answers for this account are being checked; retry",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post("/{token}/answers")
    public HttpResponse<ResetState> answer(@PathVariable String tenant, @PathVariable String token,
                                           @Body Map<String, String> answers) {
        tenants.require(tenant);
        return noStore(resets.answer(tenant, token, answers));
    }

    @Operation(summary = "Set the new password once no question is open; ends every session of the account")
    @ApiResponse(responseCode = "204", description = "password set; every session of the account ended")
    @ApiResponse(responseCode = "400", description = "malformed JSON body, password against the policy",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "a bearer token was sent and does not verify (send none here)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "questions still open, or the account is locked for good",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown tenant; unknown, expired or used link",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
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
