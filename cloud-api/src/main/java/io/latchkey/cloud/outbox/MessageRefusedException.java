package io.latchkey.cloud.outbox;

/**
 * The relay refused one message with an SMTP reply code: 5xx is for good (the message is marked failed
 * and not tried again), 4xx is for now (it is tried again later).
 */
public class MessageRefusedException extends OutboxException {
    private final int replyCode;

    public MessageRefusedException(int replyCode, Throwable cause) {
        super("the relay refused the message with " + replyCode, cause);
        this.replyCode = replyCode;
    }

    public int replyCode() {
        return replyCode;
    }

    public boolean permanent() {
        return replyCode >= 500;
    }
}
