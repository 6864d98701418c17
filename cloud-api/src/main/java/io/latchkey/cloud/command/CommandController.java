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
import java.util.concurrent.CompletableFuture;

/** Unlock and lock: 200 executed, 409 failed on the car, 502 refused by the car, 504 no answer in time. */
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

    @Operation(summary = "Send UNLOCK or LOCK to the car and wait for its answer; a repeated id returns the first result")
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
            default -> HttpStatus.BAD_GATEWAY;
        };
    }
}
