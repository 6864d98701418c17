package io.latchkey.cloud.identity;

import io.latchkey.cloud.LatchkeyCloudException;

/** A bearer token that is malformed, forged, expired, or issued for somewhere else. Never shown in detail to callers. */
public class InvalidTokenException extends LatchkeyCloudException {
    public InvalidTokenException(String message) {
        super(message);
    }
}
