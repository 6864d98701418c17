package io.latchkey.cloud.identity;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;

/** RFC 6749 section 5.1 token response. */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenResponse(@JsonProperty("access_token") String accessToken,
                            @JsonProperty("token_type") String tokenType,
                            @JsonProperty("expires_in") long expiresIn,
                            @JsonProperty("refresh_token") String refreshToken,
                            String scope) {
    @Override
    public String toString() {
        return "TokenResponse[expires_in=" + expiresIn + ", scope=" + scope + "]";
    }
}
