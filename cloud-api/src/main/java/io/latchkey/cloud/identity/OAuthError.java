package io.latchkey.cloud.identity;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;

/** The RFC 6749 section 5.2 error body. */
@Serdeable
public record OAuthError(String error, @JsonProperty("error_description") String errorDescription) {
}
