package io.latchkey.cloud.command;

import io.latchkey.cloud.identity.Caller;
import io.latchkey.cloud.identity.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
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
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.concurrent.CompletableFuture;

/**
 * Unlock, lock, immobilise, mobilise: 200 executed; 409 failed on the car, or refused by one of its checks
 * ({@code failed} says which: {@code MOVING}, {@code SPEED_UNKNOWN}, {@code IGNITION_ON}); 502 refused by
 * the car for any other reason (signature, expiry); 504 no answer in time.
 */
@Controller("/t/{tenant}/cars/{carId}/commands")
@ExecuteOn(TaskExecutors.BLOCKING)
public class CommandController {
    private final CommandService commands;

    @Serdeable
    public record CommandRequest(String type, @Nullable String id) {
    }

    public CommandController(CommandService commands) {
        this.commands = commands;
    }

    @Operation(summary = "Send UNLOCK, LOCK, IMMOBILISE or MOBILISE to the car and wait for its answer; "
            + "a repeated id returns the first result. IMMOBILISE and MOBILISE are for operators and tenant admins.")
    @ApiResponse(responseCode = "200", description = "the car executed it; the lock state is read from its feedback")
    @ApiResponse(responseCode = "400", description = "unknown type or invalid id")
    @ApiResponse(responseCode = "403", description = "no booking of the caller covers now, or IMMOBILISE/MOBILISE by a borrower")
    @ApiResponse(responseCode = "404", description = "unknown car")
    @ApiResponse(responseCode = "409", description = "failed on the car, refused by its checks (failed lists them), "
            + "or the id was used for another command")
    @ApiResponse(responseCode = "502", description = "refused by the car (signature, expiry, replay)")
    @ApiResponse(responseCode = "503", description = "the MQTT broker did not take the command")
    @ApiResponse(responseCode = "504", description = "no answer in time; the command expired unexecuted")
    @Post
    @Secured({Roles.BORROWER, Roles.OPERATOR, Roles.TENANT_ADMIN})
    public CompletableFuture<HttpResponse<CommandResult>> send(@PathVariable String tenant, @PathVariable String carId,
                                                               @Body CommandRequest body, Authentication caller) {
        return commands.submit(tenant, carId, Caller.of(caller), body.type(), body.id())
                .thenApply(result -> HttpResponse.status(statusOf(result)).body(result));
    }

    static HttpStatus statusOf(CommandResult result) {
        return switch (result.outcome()) {
            case "EXECUTED" -> HttpStatus.OK;
            case "FAILED" -> HttpStatus.CONFLICT;
            // refused by a check of the car's state (moving, door open): a conflict the caller can resolve
            case "REJECTED" -> result.failed() != null && !result.failed().isEmpty() ? HttpStatus.CONFLICT : HttpStatus.BAD_GATEWAY;
            default -> HttpStatus.BAD_GATEWAY;
        };
    }
}
