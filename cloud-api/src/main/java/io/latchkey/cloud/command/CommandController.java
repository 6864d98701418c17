package io.latchkey.cloud.command;

import io.latchkey.cloud.http.Problem;
import io.latchkey.cloud.identity.Caller;
import io.latchkey.cloud.identity.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
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
    @ApiResponse(responseCode = "200", description = "EXECUTED: the car carried it out",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CommandResult.class)))
    @ApiResponse(responseCode = "400", description = "malformed JSON body, type not UNLOCK, LOCK, IMMOBILISE or MOBILISE, id not an id",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it, no booking of yours covers now, or IMMOBILISE/MOBILISE by a borrower",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown car",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "FAILED on the car (e.g. door open at LOCK; CommandResult), refused by a check of the car (failed lists them; CommandResult), or the id was used for another command or is being sent by another request (Problem)",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CommandResult.class)),
                    @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class))})
    @ApiResponse(responseCode = "502", description = "the car refused the command (REJECTED, e.g. EXPIRED, BAD_SIGNATURE)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CommandResult.class)))
    @ApiResponse(responseCode = "503", description = "no broker connection, the broker did not take the command, or the car is asleep "
            + "(power state SLEEP or PROTECT; the detail names its next wake and Retry-After says when to try again): nothing was sent, retry",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "504", description = "the car did not answer within the command timeout; the command expires unexecuted",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post
    @Secured({Roles.BORROWER, Roles.OPERATOR, Roles.TENANT_ADMIN})
    public CompletableFuture<HttpResponse<CommandResult>> send(@PathVariable String tenant, @PathVariable String carId,
                                                               @Body CommandRequest body, Authentication caller,
                                                               HttpRequest<?> request) {
        return commands.submit(tenant, carId, Caller.of(caller), body.type(), body.id(),
                        new CommandPhases(CommandRequestClock.receivedAt(request)), CommandReadAhead.of(request))
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
