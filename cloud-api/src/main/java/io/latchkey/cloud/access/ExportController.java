package io.latchkey.cloud.access;

import io.latchkey.cloud.NotFoundException;
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
    @Get
    public ExportIndex index(@PathVariable String tenant, @PathVariable String token) {
        Instant expiresAt = open(tenant, token);
        TenantStore store = stores.tenant(tenant);
        return new ExportIndex(tenant, expiresAt, store.collections(), store.streams());
    }

    @Operation(summary = "Ids of one collection's documents")
    @Get("/docs/{collection}")
    public List<String> ids(@PathVariable String tenant, @PathVariable String token, @PathVariable String collection) {
        open(tenant, token);
        return stores.tenant(tenant).list(name("collection", collection));
    }

    @Operation(summary = "One document, exactly as stored")
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
