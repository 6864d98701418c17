package io.latchkey.cloud.access;

import io.latchkey.cloud.NotFoundException;
import io.latchkey.cloud.http.Problem;
import io.latchkey.cloud.store.InvalidNameException;
import io.latchkey.cloud.store.Names;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.TenantStore;
import io.latchkey.cloud.tenant.TenantDirectory;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;

/**
 * The read-only export a signed link opens (file store). The token in the path is the credential, so the
 * routes need no bearer token; every one of them verifies it first. There are only GET routes: a write
 * with an export link has nothing to reach.
 */
@Controller("/t/{tenant}/exports/{token}")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class ExportController {
    private final ExportTokens tokens;
    private final TenantDirectory tenants;
    private final Stores stores;

    @Serdeable
    public record ExportIndex(String tenant, Instant expiresAt, List<String> collections, List<String> streams) {
    }

    public ExportController(ExportTokens tokens, TenantDirectory tenants, Stores stores) {
        this.tokens = tokens;
        this.tenants = tenants;
        this.stores = stores;
    }

    @Operation(summary = "What the export holds: the tenant's collections and streams")
    @ApiResponse(responseCode = "200", description = "the index", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "the export link is invalid or expired, or a bearer token that does not verify",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get
    public ExportIndex index(@PathVariable String tenant, @PathVariable String token) {
        Instant expiresAt = open(tenant, token);
        TenantStore store = stores.tenant(tenant);
        return new ExportIndex(tenant, expiresAt, store.collections(), store.streams());
    }

    @Operation(summary = "Ids of one collection's documents")
    @ApiResponse(responseCode = "200", description = "the ids", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "the export link is invalid or expired, or a bearer token that does not verify",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown tenant, or a collection name that cannot exist",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get("/docs/{collection}")
    public List<String> ids(@PathVariable String tenant, @PathVariable String token, @PathVariable String collection) {
        open(tenant, token);
        return stores.tenant(tenant).list(name("collection", collection));
    }

    @Operation(summary = "One document, exactly as stored")
    @ApiResponse(responseCode = "200", description = "the document as stored",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = "object")))
    @ApiResponse(responseCode = "401", description = "the export link is invalid or expired, or a bearer token that does not verify",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown tenant, collection or document",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get(value = "/docs/{collection}/{id}", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<byte[]> document(@PathVariable String tenant, @PathVariable String token,
                                         @PathVariable String collection, @PathVariable String id) {
        open(tenant, token);
        byte[] document = stores.tenant(tenant).read(name("collection", collection), name("id", id))
                .orElseThrow(() -> new NotFoundException("no document " + collection + "/" + id))
                .value();
        return HttpResponse.ok(document).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    @Operation(summary = "Every record of one stream, as JSON lines")
    @ApiResponse(responseCode = "200", description = "one JSON record a line",
            content = @Content(mediaType = "application/x-ndjson", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "401", description = "the export link is invalid or expired, or a bearer token that does not verify",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown tenant, or a stream name that cannot exist",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get(value = "/streams/{stream}", produces = "application/x-ndjson")
    public HttpResponse<byte[]> stream(@PathVariable String tenant, @PathVariable String token, @PathVariable String stream) {
        open(tenant, token);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        stores.tenant(tenant).forEach(name("stream", stream), record -> {
            out.writeBytes(record);
            out.write('\n');
        });
        return HttpResponse.ok(out.toByteArray()).contentType(MediaType.of("application/x-ndjson"));
    }

    private Instant open(String tenant, String token) {
        tenants.require(tenant);
        return tokens.verify(tenant, token);
    }

    private static String name(String what, String value) {
        try {
            return Names.require(what, value);
        } catch (InvalidNameException e) {
            throw new NotFoundException("no such " + what);
        }
    }
}
