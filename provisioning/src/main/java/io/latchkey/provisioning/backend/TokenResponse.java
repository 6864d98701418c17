package io.latchkey.provisioning.backend;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The OAuth2 token endpoint's answer (RFC 6749 section 5.1). */
public record TokenResponse(@JsonProperty("access_token") String accessToken,
                            @JsonProperty("token_type") String tokenType,
                            @JsonProperty("expires_in") long expiresIn,
                            @JsonProperty("scope") String scope) {
}
