package io.latchkey.provisioning.login;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.protocol.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The claims of an access token, read without verifying it: only to tell the installer who they are
 * signed in as and until when. The backend verifies the token on every call.
 */
record TokenClaims(Optional<String> tenant, Optional<Instant> expiresAt, List<String> roles) {
    static TokenClaims read(String jwt) {
        String[] parts = jwt == null ? new String[0] : jwt.split("\\.");
        if (parts.length < 2) {
            return new TokenClaims(Optional.empty(), Optional.empty(), List.of());
        }
        try {
            JsonNode claims = Json.mapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
            List<String> roles = new ArrayList<>();
            if (claims.has("roles") && claims.get("roles").isArray()) {
                claims.get("roles").forEach(r -> roles.add(r.asText()));
            }
            return new TokenClaims(
                    Optional.ofNullable(claims.get("tenant")).map(JsonNode::asText),
                    Optional.ofNullable(claims.get("exp")).filter(JsonNode::canConvertToLong).map(n -> Instant.ofEpochSecond(n.asLong())),
                    roles);
        } catch (Exception e) {
            return new TokenClaims(Optional.empty(), Optional.empty(), List.of());
        }
    }
}
