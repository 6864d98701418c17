package io.latchkey.cloud.account.reset;

import io.latchkey.cloud.ForbiddenException;

/** Too many wrong challenge answers: the account is now locked for good; an operator must unlock it (403). */
public class ResetLockedException extends ForbiddenException {
    public ResetLockedException() {
        super("too many wrong answers: the account is locked; ask the operator to unlock it");
    }
}
