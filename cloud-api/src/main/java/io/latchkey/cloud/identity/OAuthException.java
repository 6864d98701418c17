package io.latchkey.cloud.identity;

import io.latchkey.cloud.LatchkeyCloudException;

/** An RFC 6749 error from a token endpoint ({@code invalid_grant}, {@code unsupported_grant_type}, ...). */
public class OAuthException extends LatchkeyCloudException {
    private final String error;

    public OAuthException(String error, String description) {
        super(description);
        this.error = error;
    }

    public String error() {
        return error;
    }
}
