package io.latchkey.cloud.audit;

import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.http.Problem;
import io.latchkey.cloud.identity.Roles;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.swagger.v3.oas.annotations.headers.Header;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;

/** The tenant's audit trail, for its tenant-admins: recent records, and a check of the whole chain. */
@Controller("/t/{tenant}/audit")
@Secured(Roles.TENANT_ADMIN)
@ExecuteOn(TaskExecutors.BLOCKING)
public class AuditController {
    static final int MAX_RECORDS = 1000;
    private static final Pattern ACTION = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*");

    private final HashChainedAuditLog audit;

    public AuditController(HashChainedAuditLog audit) {
        this.audit = audit;
    }

    @Operation(summary = "Recompute the hash chain of the tenant's audit trail: OK, or the first broken record")
    @ApiResponse(responseCode = "200", description = "OK, or the first broken record", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it (tenant-admins only)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get("/verify")
    public ChainVerification verify(@PathVariable String tenant) {
        return audit.verify(tenant);
    }

    @Operation(summary = "The newest audit records that match the filters (time from/to, action or its dotted prefix, actor), "
            + "oldest first; cursor (a record's index) pages to older records, and a Link header rel=next says there are some")
    @ApiResponse(responseCode = "200", description = "the records", useReturnTypeSchema = true,
            headers = @Header(name = "Link", description = "</t/{tenant}/audit?...&cursor={index}>; rel=\"next\" while older matching records remain",
                    schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "limit not 1..1000, from or to not an ISO-8601 instant or to not after from, "
            + "action or actor malformed, cursor not a record index",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it (tenant-admins only)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get
    public HttpResponse<List<AuditRecord>> recent(@PathVariable String tenant, @QueryValue(defaultValue = "100") int limit,
                                                  @Nullable @QueryValue String from, @Nullable @QueryValue String to,
                                                  @Nullable @QueryValue String action, @Nullable @QueryValue String actor,
                                                  @Nullable @QueryValue String cursor) {
        if (limit < 1 || limit > MAX_RECORDS) {
            throw new InvalidRequestException("limit must be 1.." + MAX_RECORDS);
        }
        Instant fromAt = instant("from", from);
        Instant toAt = instant("to", to);
        if (fromAt != null && toAt != null && !toAt.isAfter(fromAt)) {
            throw new InvalidRequestException("to must be after from");
        }
        if (action != null && !ACTION.matcher(action).matches()) {
            throw new InvalidRequestException("action is an audit action or a dotted prefix of one, e.g. user or user.lock");
        }
        if (actor != null && (actor.isBlank() || actor.length() > 200 || actor.chars().anyMatch(Character::isISOControl))) {
            throw new InvalidRequestException("actor is a user id, system or platform:{user}");
        }
        Long before = null;
        if (cursor != null) {
            try {
                before = Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                before = -1L;
            }
            if (before < 0) {
                throw new InvalidRequestException("cursor is a record's index (a whole number from 0)");
            }
        }
        List<AuditRecord> records;
        boolean more;
        if (fromAt == null && toAt == null && action == null && actor == null && before == null) {
            records = audit.recent(tenant, limit);
            more = !records.isEmpty() && records.get(0).index() > 0;
        } else {
            HashChainedAuditLog.Found found = audit.search(tenant,
                    new HashChainedAuditLog.Query(fromAt, toAt, action, actor, before), limit);
            records = found.records();
            more = found.more();
        }
        MutableHttpResponse<List<AuditRecord>> response = HttpResponse.ok(records);
        if (more && !records.isEmpty()) {
            StringBuilder next = new StringBuilder("/t/").append(tenant).append("/audit?limit=").append(limit);
            query(next, "from", from);
            query(next, "to", to);
            query(next, "action", action);
            query(next, "actor", actor);
            next.append("&cursor=").append(records.get(0).index());
            response.header("Link", "<" + next + ">; rel=\"next\"");
        }
        return response;
    }

    private static void query(StringBuilder url, String name, @Nullable String value) {
        if (value != null) {
            url.append('&').append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    private static Instant instant(String name, @Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(name + " must be an ISO-8601 instant, e.g. 2026-05-01T08:00:00Z");
        }
    }
}
