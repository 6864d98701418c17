package io.latchkey.cloud.account.reset;

import io.latchkey.cloud.InvalidRequestException;

/** A challenge answer did not match the account's data (400); the message says how many tries are left. */
public class WrongAnswerException extends InvalidRequestException {
    public WrongAnswerException(int attemptsLeft) {
        super("the answers do not match; " + attemptsLeft + " wrong answer(s) left before the account is locked");
    }
}
