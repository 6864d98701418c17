package io.latchkey.protocol;

/** Root of everything the protocol module throws: a message that cannot be read, named, or trusted. */
public class ProtocolException extends RuntimeException {
    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
