package io.latchkey.cloud.outbox;

import io.latchkey.cloud.LatchkeyCloudException;

/** The outbox could not take or rewrite messages (I/O). */
public class OutboxException extends LatchkeyCloudException {
    public OutboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
