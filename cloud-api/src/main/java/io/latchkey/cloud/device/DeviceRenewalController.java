package io.latchkey.cloud.device;

import io.latchkey.cloud.ForbiddenException;
import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.NotFoundException;
import io.latchkey.cloud.http.Problem;
import io.latchkey.cloud.pki.IssuedDeviceCertificate;
import io.latchkey.cloud.pki.RevokedCertificate;
import io.latchkey.cloud.tenant.TenantDirectory;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.ProtocolException;
import io.latchkey.protocol.Topic;
import io.latchkey.protocol.identity.RenewalAnswer;
import io.latchkey.protocol.identity.RenewalRequest;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The recovery of a device whose certificate expired while it was offline (docs/device-identity.md, "A device offline
 * across its expiry"): the broker refuses an expired certificate at the TLS handshake, so the renewal request comes
 * here instead. No access token: the request itself is the credential, signed by the key of the device's certificate
 * on record, and the device CA applies exactly the checks of a renewal over MQTT (within the grace period after
 * expiry). The device then connects with the new certificate and confirms it over MQTT ({@code IN_USE}).
 */
@Controller("/t/{tenant}/devices/{deviceId}/renewal")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(SecurityRule.IS_ANONYMOUS)
public class DeviceRenewalController {
    private final DeviceIdentities identities;
    private final TenantDirectory tenants;

    /** A {@code RENEW} request as on the device's {@code csr} topic. */
    @Serdeable
    public record Renewal(@Nullable String type, @Nullable String requestId, @Nullable String serial, @Nullable String csr,
                          @Nullable String signature) {
    }

    @Serdeable
    public record Renewed(String requestId, String outcome, String certificate, List<String> caChain, String serial) {
    }

    public DeviceRenewalController(DeviceIdentities identities, TenantDirectory tenants) {
        this.identities = identities;
        this.tenants = tenants;
    }

    @Operation(summary = "Renew an expired device certificate (within the grace period) with a request signed by its key; no token: the signature is the credential")
    @ApiResponse(responseCode = "201", description = "issued: the device connects with it and confirms it in use over MQTT", useReturnTypeSchema = true,
            headers = @Header(name = "Location", description = "/t/{tenant}/devices/{deviceId}/renewal", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "malformed JSON body or request (type must be RENEW, requestId, lower-case hex serial, csr, signature)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "a bearer token was sent and does not verify (none is needed)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "refused, with the reason: not signed by the key of the device's certificate on record, revoked, expired beyond the grace period, a CSR for another identity, the same key without the policy",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown tenant or device",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post
    public HttpResponse<Renewed> renew(@PathVariable String tenant, @PathVariable String deviceId, @Body Renewal body) {
        tenants.require(tenant);
        if (!Topic.isValidDeviceId(deviceId) || identities.find(tenant, deviceId).isEmpty()) {
            throw new NotFoundException("unknown device");
        }
        RenewalRequest request;
        try {
            Map<String, Object> json = new java.util.LinkedHashMap<>();
            json.put("type", body.type());
            json.put("requestId", body.requestId());
            json.put("serial", body.serial());
            json.put("csr", body.csr());
            json.put("signature", body.signature());
            request = RenewalRequest.parse(Json.write(json));
        } catch (ProtocolException | IllegalArgumentException e) {
            throw new InvalidRequestException("renewal request: " + e.getMessage());
        }
        if (request.type() != RenewalRequest.Type.RENEW) {
            throw new InvalidRequestException("type must be RENEW (IN_USE is sent over MQTT with the new certificate)");
        }
        IssuedDeviceCertificate issued;
        try {
            issued = identities.renew(tenant, deviceId, request);
        } catch (RenewalRefusedException e) {
            throw new ForbiddenException(e.getMessage());
        }
        Renewed renewed = new Renewed(request.requestId(), RenewalAnswer.ISSUED, issued.certificatePem(), issued.caChainPem(),
                RevokedCertificate.serialText(issued.certificate().getSerialNumber()));
        return HttpResponse.created(renewed, URI.create("/t/" + tenant + "/devices/" + deviceId + "/renewal"));
    }
}
