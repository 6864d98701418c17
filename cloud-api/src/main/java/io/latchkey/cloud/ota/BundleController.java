package io.latchkey.cloud.ota;

import io.latchkey.cloud.ForbiddenException;
import io.latchkey.cloud.NotFoundException;
import io.latchkey.cloud.http.Problem;
import io.latchkey.cloud.mqtt.security.DeviceKeys;
import io.latchkey.cloud.tenant.TenantDirectory;
import io.latchkey.protocol.Topic;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bundle download for devices (docs/ota.md §8, "Download"): no API token, a ticket in the offer's URL
 * ({@link DownloadTickets}) that opens one release for one device until it expires, and only while the device has an
 * active certificate. {@code Range: bytes=N-} (or {@code N-M}) answers 206 with the rest, as the agent resumes.
 */
@Controller("/t/{tenant}/releases/{releaseId}/bundle")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(SecurityRule.IS_ANONYMOUS)
public class BundleController {
    static final String ZIP = "application/zip";
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d{1,12})-(\\d{0,12})");

    private final Releases releases;
    private final DownloadTickets tickets;
    private final DeviceKeys deviceKeys;
    private final TenantDirectory tenants;

    public BundleController(Releases releases, DownloadTickets tickets, DeviceKeys deviceKeys, TenantDirectory tenants) {
        this.releases = releases;
        this.tickets = tickets;
        this.deviceKeys = deviceKeys;
        this.tenants = tenants;
    }

    @Operation(summary = "Download a release's bundle as a device, with the ticket of its offer's URL; Range resumes")
    @ApiResponse(responseCode = "200", description = "the whole bundle",
            content = @Content(mediaType = ZIP, schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "206", description = "the bytes asked for with Range (Content-Range names them)",
            content = @Content(mediaType = ZIP, schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "401", description = "a bearer token that does not verify (devices send none: the ticket is the credential)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "no ticket, a ticket for another release or device, an expired one, or a device without an active certificate",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown tenant or release",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "416", description = "the Range starts beyond the end",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get(produces = ZIP)
    public MutableHttpResponse<byte[]> download(@PathVariable String tenant, @PathVariable String releaseId,
                                                @QueryValue @Nullable String device, @QueryValue @Nullable String expires,
                                                @QueryValue @Nullable String ticket, @Header(HttpHeaders.RANGE) @Nullable String range) {
        if (!Topic.isValidTenantId(tenant) || tenants.find(tenant).isEmpty()) {
            throw new NotFoundException("unknown release " + releaseId);
        }
        Release release = releases.require(tenant, releaseId);
        var refused = tickets.refusal(tenant, releaseId, device, expires, ticket);
        if (refused.isPresent()) {
            throw new ForbiddenException(refused.get());
        }
        if (!Topic.isValidDeviceId(device) || deviceKeys.activeKey(tenant, device).isEmpty()) {
            throw new ForbiddenException("the device has no active certificate");
        }
        byte[] bundle = releases.bundle(tenant, release.id());
        if (range == null) {
            return HttpResponse.ok(bundle).contentType(ZIP).header(HttpHeaders.ACCEPT_RANGES, "bytes");
        }
        Matcher m = RANGE.matcher(range.strip());
        if (!m.matches()) {
            return HttpResponse.ok(bundle).contentType(ZIP).header(HttpHeaders.ACCEPT_RANGES, "bytes");
        }
        long from = Long.parseLong(m.group(1));
        long to = m.group(2).isEmpty() ? bundle.length - 1L : Math.min(Long.parseLong(m.group(2)), bundle.length - 1L);
        if (from >= bundle.length || to < from) {
            MutableHttpResponse<byte[]> unsatisfiable = HttpResponse.status(HttpStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
            return unsatisfiable.header(HttpHeaders.CONTENT_RANGE, "bytes */" + bundle.length);
        }
        byte[] part = Arrays.copyOfRange(bundle, (int) from, (int) to + 1);
        MutableHttpResponse<byte[]> partial = HttpResponse.status(HttpStatus.PARTIAL_CONTENT);
        return partial.body(part).contentType(ZIP).header(HttpHeaders.ACCEPT_RANGES, "bytes")
                .header(HttpHeaders.CONTENT_RANGE, "bytes " + from + "-" + to + "/" + bundle.length);
    }
}
