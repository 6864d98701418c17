package io.latchkey.cloud.device;

import io.latchkey.cloud.car.Car;
import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.http.Problem;
import io.latchkey.cloud.http.PublicUrl;
import io.latchkey.cloud.identity.Roles;
import io.latchkey.cloud.mqtt.MqttEndpoint;
import io.latchkey.cloud.pki.IssuedDeviceCertificate;
import io.latchkey.cloud.pki.Pem;
import io.latchkey.cloud.tenant.CommandKeys;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
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
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URI;
import java.util.List;

/** Device identity for installers: certificates, decommissioning and signed install reports. */
@Controller("/t/{tenant}/devices/{deviceId}")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.INSTALLER, Roles.TENANT_ADMIN})
public class DeviceController {
    private final DeviceIdentities identities;
    private final DeviceAuthorities authorities;
    private final CommandKeys commandKeys;
    private final MqttEndpoint mqtt;
    private final CarRegistry cars;
    private final KeySetPublisher keySets;
    private final List<UpdateKeySource> updateKeys;
    private final PublicUrl publicUrl;

    @Serdeable
    public record CertificateRequest(@Nullable String carId, @Nullable String csr) {
    }

    @Serdeable
    public record CommandKey(String kid, String alg, String publicKey) {
    }

    /**
     * {@code brokerCaChain} verifies the broker's TLS certificate; {@code vehicleProfile} is the name of the car's built-in
     * vehicle profile, absent when the car has none. {@code keySetKeys} and {@code updateKeys} are pinned beside the command
     * keys ({@code keyset.keys.*}, {@code update.keys.*}; no update keys while the tenant has none);
     * {@code recoveryUrl} is this backend's base URL, where a device whose certificate expired while it was offline renews
     * it ({@code POST /t/{tenant}/devices/{deviceId}/renewal}; {@code identity.recovery-url}).
     */
    @Serdeable
    public record CertificateResponse(String certificate, List<String> caChain, List<String> brokerCaChain, String mqttUrl,
                                      List<CommandKey> commandKeys, @Nullable String vehicleProfile, List<CommandKey> keySetKeys,
                                      List<CommandKey> updateKeys, String recoveryUrl) {
    }

    @Serdeable
    public record DecommissionRequest(@Nullable String reason) {
    }

    @Serdeable
    public record DecommissionResponse(String deviceId, List<String> revokedSerials) {
    }

    @Serdeable
    public record SignedReport(@Nullable String payload, @Nullable String signature, @Nullable String certificate) {
    }

    public DeviceController(DeviceIdentities identities, DeviceAuthorities authorities, CommandKeys commandKeys, MqttEndpoint mqtt,
                            CarRegistry cars, KeySetPublisher keySets, List<UpdateKeySource> updateKeys, PublicUrl publicUrl) {
        this.keySets = keySets;
        this.updateKeys = updateKeys;
        this.publicUrl = publicUrl;
        this.identities = identities;
        this.cars = cars;
        this.authorities = authorities;
        this.commandKeys = commandKeys;
        this.mqtt = mqtt;
    }

    @Operation(summary = "Issue the device's certificate for a PKCS#10 request (EC P-256, CN=deviceId, O=tenant)")
    @ApiResponse(responseCode = "201", description = "issued", useReturnTypeSchema = true,
            headers = @Header(name = "Location", description = "/t/{tenant}/devices/{deviceId}/certificate", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "400", description = "malformed JSON body, carId missing or invalid, csr malformed, not EC P-256, or for another tenant or device",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it (installers and tenant-admins)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown device id or car, or the car holds another device",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "409", description = "the device already has an active certificate, or was provisioned by someone else just now",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post("/certificate")
    public HttpResponse<CertificateResponse> certificate(@PathVariable String tenant, @PathVariable String deviceId,
                                                         @Body CertificateRequest body, Authentication caller) {
        IssuedDeviceCertificate issued = identities.issue(tenant, deviceId, body.carId(), body.csr(), caller.getName());
        List<CommandKey> keys = commandKeys.publicKeys(tenant).stream().map(k -> new CommandKey(k.kid(), k.alg(), k.publicKey())).toList();
        // issue() has checked the car exists and holds this device.
        String profile = cars.find(tenant, body.carId()).map(Car::vehicleProfile).orElse(null);
        CertificateResponse response = new CertificateResponse(issued.certificatePem(), issued.caChainPem(),
                List.of(Pem.encode(authorities.platform().certificate())), mqtt.deviceTlsUrl(tenant).orElse(mqtt.url()), keys, profile,
                keySets.pinned(tenant).stream().map(k -> new CommandKey(k.kid(), k.alg(), k.publicKey())).toList(),
                updateKeys.stream().flatMap(source -> source.updateKeys(tenant).stream())
                        .map(k -> new CommandKey(k.kid(), io.latchkey.protocol.Keys.COMMAND_KEY_ALGORITHM, k.publicKey())).toList(),
                publicUrl.base());
        // the tenant's newest signed key set waits for the device, retained on its keys topic
        keySets.publishTo(tenant, deviceId);
        return HttpResponse.created(response, URI.create("/t/" + tenant + "/devices/" + deviceId + "/certificate"));
    }

    @Operation(summary = "Revoke the device's certificate; the broker drops its session and refuses it from now on")
    @ApiResponse(responseCode = "200", description = "the serials revoked (none if no certificate was active)", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "malformed JSON body, reason missing or over 200 characters",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it (installers and tenant-admins)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "the device has never had a certificate",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post("/decommission")
    public DecommissionResponse decommission(@PathVariable String tenant, @PathVariable String deviceId,
                                             @Body DecommissionRequest body, Authentication caller) {
        return new DecommissionResponse(deviceId, identities.decommission(tenant, deviceId, body.reason(), caller.getName()));
    }

    @Operation(summary = "Record a self-test report signed by the device's own key")
    @ApiResponse(responseCode = "201", description = "recorded (no Location: it is part of the car, GET /t/{tenant}/cars/{carId})", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "400", description = "malformed JSON body, malformed fields, or the signature does not verify",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "401", description = "no valid access token of this tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "403", description = "your roles do not allow it (installers and tenant-admins), or the certificate is not the device's active one",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "the device has never had a certificate",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Post("/install-report")
    public HttpResponse<Installation> installReport(@PathVariable String tenant, @PathVariable String deviceId,
                                                    @Body SignedReport body, Authentication caller) {
        return HttpResponse.created(identities.acceptInstallReport(tenant, deviceId, body.payload(), body.signature(),
                body.certificate(), caller.getName()));
    }
}
