package io.latchkey.cloud.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.audit.AuditEntry;
import io.latchkey.cloud.audit.Auditor;
import io.latchkey.cloud.http.Problem;
import io.latchkey.cloud.identity.Roles;
import io.latchkey.protocol.Ids;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Events of the tenant's cars, newest first, and their acknowledgement by operators. */
@Controller("/t/{tenant}/events")
@ExecuteOn(TaskExecutors.BLOCKING)
public class EventController {
    static final int MAX_LIMIT = 200;

    private final Events events;
    private final Auditor auditor;

    @Serdeable
    public record EventPage(List<Event> events, @Nullable @JsonInclude(JsonInclude.Include.ALWAYS) String next) {
    }

    public EventController(Events events, Auditor auditor) {
        this.events = events;
        this.auditor = auditor;
    }

    @Operation(summary = "Events of the tenant's cars, newest first, filtered by car, type, time, acknowledgement and alert; paginated with the cursor 'next'")
    @ApiResponse(responseCode = "200", description = "a page of events and the cursor of the next page (null on the last)", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "a malformed filter, limit or cursor",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "no valid access token",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "not an operator or tenant-admin of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get
    @Secured({Roles.OPERATOR, Roles.TENANT_ADMIN})
    public EventPage list(@PathVariable String tenant, @Nullable @QueryValue String carId, @Nullable @QueryValue String type,
                          @Nullable @QueryValue String from, @Nullable @QueryValue String to,
                          @Nullable @QueryValue String acknowledged, @Nullable @QueryValue String alert,
                          @Nullable @QueryValue String cursor, @Nullable @QueryValue String limit) {
        if (carId != null && !Ids.isValid(carId)) {
            throw new InvalidRequestException(Ids.mustMatch("carId"));
        }
        if (type != null && !EventsConfig.TYPE.matcher(type).matches()) {
            throw new InvalidRequestException("type is an event type: upper-case letters, digits and underscores");
        }
        Instant fromAt = instant("from", from);
        Instant toAt = instant("to", to);
        if (fromAt != null && toAt != null && !toAt.isAfter(fromAt)) {
            throw new InvalidRequestException("to must be after from");
        }
        Events.Page page = events.list(tenant, new Events.Filter(carId, type, fromAt, toAt,
                        bool("acknowledged", acknowledged), bool("alert", alert)), cursor,
                limit(limit, 50, MAX_LIMIT));
        return new EventPage(page.events(), page.next());
    }

    @Operation(summary = "One event")
    @ApiResponse(responseCode = "200", description = "the event", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "no valid access token",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "not an operator or tenant-admin of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "no such event in this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get("/{eventId}")
    @Secured({Roles.OPERATOR, Roles.TENANT_ADMIN})
    public Event get(@PathVariable String tenant, @PathVariable String eventId) {
        return events.require(tenant, eventId);
    }

    @Operation(summary = "Acknowledge an event (idempotent: a second call keeps who and when of the first)")
    @ApiResponse(responseCode = "200", description = "the event, acknowledged", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "no valid access token",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "not an operator or tenant-admin of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "no such event in this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post("/{eventId}/ack")
    @Secured({Roles.OPERATOR, Roles.TENANT_ADMIN})
    public Event acknowledge(@PathVariable String tenant, @PathVariable String eventId, Authentication caller) {
        Events.Acknowledgement ack = events.acknowledge(tenant, eventId, caller.getName());
        auditor.record(tenant, caller.getName(), "event.ack", "event/" + eventId + " car/" + ack.event().carId(),
                ack.changed() ? AuditEntry.OK : "ALREADY_ACKNOWLEDGED");
        return ack.event();
    }

    /** {@code true} or {@code false}, or null when absent. */
    private static Boolean bool(String name, @Nullable String value) {
        if (value == null) {
            return null;
        }
        if (!value.equals("true") && !value.equals("false")) {
            throw new InvalidRequestException(name + " is true or false");
        }
        return Boolean.valueOf(value);
    }

    /** An ISO-8601 instant, or null when absent. */
    public static Instant instant(String name, @Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(name + " must be an ISO-8601 instant, e.g. 2026-05-01T08:00:00Z");
        }
    }

    /** A page size in 1..max, {@code fallback} when absent. */
    public static int limit(@Nullable String value, int fallback, int max) {
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new InvalidRequestException("limit must be a whole number from 1 to " + max);
    }
}
