package io.latchkey.cloud.account.reset;

import io.latchkey.cloud.NotFoundException;

/** The reset token is unknown, expired, already used, or its account can no longer be reset (404). */
public class ResetNotFoundException extends NotFoundException {
    public ResetNotFoundException() {
        super("unknown or expired password reset; start a new one");
    }
}
