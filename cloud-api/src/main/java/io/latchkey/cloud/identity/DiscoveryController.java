package io.latchkey.cloud.identity;

import io.latchkey.cloud.http.Problem;
import io.latchkey.cloud.http.PublicUrl;
import io.latchkey.cloud.mqtt.MqttEndpoint;
import io.latchkey.cloud.secrets.SecretStore;
import io.latchkey.cloud.tenant.CommandKeys;
import io.latchkey.cloud.tenant.TenantDirectory;
import io.micronaut.core.annotation.Nullable;
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
import java.util.List;
import java.util.Map;

/** Public discovery documents: OpenID configuration, JWKS, and what a device of the tenant needs. */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class DiscoveryController {
    private final TenantDirectory tenants;
    private final SigningKeys signingKeys;
    private final CommandKeys commandKeys;
    private final PublicUrl publicUrl;
    private final MqttEndpoint mqtt;

    /**
     * What a device (or the simulator) needs to reach and trust the cloud. {@code mqttTlsUrl}: the
     * mutual-TLS broker URL for provisioned devices (with their certificate), when the broker has one.
     */
    @Serdeable
    public record DeviceDiscovery(String tenant, String mqttUrl, List<PublicKey> commandKeys, @Nullable String mqttTlsUrl) {
    }

    @Serdeable
    public record PublicKey(String kid, String alg, String publicKey) {
    }

    public DiscoveryController(TenantDirectory tenants, SigningKeys signingKeys, CommandKeys commandKeys,
                               PublicUrl publicUrl, MqttEndpoint mqtt) {
        this.tenants = tenants;
        this.signingKeys = signingKeys;
        this.commandKeys = commandKeys;
        this.publicUrl = publicUrl;
        this.mqtt = mqtt;
    }

    @Operation(summary = "Authorization server metadata of the tenant's issuer (RFC 8414 fields; served at the OpenID discovery path, without ID tokens)")
    @ApiResponse(responseCode = "200", description = "the metadata", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "a bearer token was sent and does not verify (send none here)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get("/t/{tenant}/.well-known/openid-configuration")
    public Map<String, Object> openidConfiguration(@PathVariable String tenant) {
        tenants.require(tenant);
        String issuer = publicUrl.tenantIssuer(tenant);
        // only what exists: no ID tokens (this is OAuth 2.0, not OpenID Connect), no implicit flow
        Map<String, Object> metadata = new java.util.LinkedHashMap<>();
        metadata.put("issuer", issuer);
        metadata.put("authorization_endpoint", issuer + "/oauth/authorize");
        metadata.put("token_endpoint", issuer + "/oauth/token");
        metadata.put("jwks_uri", issuer + "/.well-known/jwks.json");
        metadata.put("response_types_supported", List.of("code"));
        metadata.put("response_modes_supported", List.of("query"));
        metadata.put("grant_types_supported", List.of("authorization_code", "password", "refresh_token"));
        metadata.put("code_challenge_methods_supported", List.of(Pkce.S256));
        metadata.put("token_endpoint_auth_methods_supported", List.of("none"));
        metadata.put("authorization_response_iss_parameter_supported", true);
        return metadata;
    }

    @Operation(summary = "The tenant issuer's public signing keys")
    @ApiResponse(responseCode = "200", description = "the JWK set", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "a bearer token was sent and does not verify (send none here)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get("/t/{tenant}/.well-known/jwks.json")
    public Map<String, Object> tenantJwks(@PathVariable String tenant) {
        tenants.require(tenant);
        return signingKeys.ensure(tenant).toPublicJWKSet().toJSONObject();
    }

    @Operation(summary = "The platform issuer's public signing keys")
    @ApiResponse(responseCode = "200", description = "the JWK set", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "a bearer token was sent and does not verify (send none here)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get("/platform/.well-known/jwks.json")
    public Map<String, Object> platformJwks() {
        return signingKeys.ensure(SecretStore.PLATFORM).toPublicJWKSet().toJSONObject();
    }

    @Operation(summary = "What a device of the tenant needs: the broker URL and the command keys to pin")
    @ApiResponse(responseCode = "200", description = "broker URLs and command keys", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "401", description = "a bearer token was sent and does not verify (send none here)",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "404", description = "unknown tenant",
            content = @Content(mediaType = Problem.CONTENT_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get("/t/{tenant}/.well-known/latchkey-device")
    public DeviceDiscovery device(@PathVariable String tenant) {
        tenants.require(tenant);
        List<PublicKey> keys = commandKeys.publicKeys(tenant).stream()
                .map(k -> new PublicKey(k.kid(), k.alg(), k.publicKey()))
                .toList();
        return new DeviceDiscovery(tenant, mqtt.url(), keys, mqtt.deviceTlsUrl(tenant).orElse(null));
    }
}
