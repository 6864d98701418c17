package io.latchkey.cloud.access;

import io.latchkey.cloud.LatchkeyCloudException;

/** An export link whose token is malformed, forged, of another tenant or expired; the caller is not told which. */
public class InvalidExportTokenException extends LatchkeyCloudException {
    public InvalidExportTokenException(String reason) {
        super(reason);
    }
}
