package io.latchkey.protocol;

/** A message or topic that does not parse as what its channel promises. */
public class MalformedMessageException extends ProtocolException {
    public MalformedMessageException(String message) {
        super(message);
    }

    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
