package io.latchkey.cloud.http;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.serde.annotation.Serdeable;

/** An RFC 9457 problem body. {@code detail} is written for the caller and never holds a secret or a stack trace. */
@Serdeable
public record Problem(String type, String title, int status, String detail) {
    public static final String CONTENT_TYPE = "application/problem+json";
    public static final MediaType MEDIA_TYPE = MediaType.of(CONTENT_TYPE);

    public static Problem of(HttpStatus status, String detail) {
        return new Problem("about:blank", status.getReason(), status.getCode(), detail);
    }
}
