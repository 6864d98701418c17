package io.latchkey.cloud.outbox;

/**
 * The mail relay cannot be reached or will not talk to us now (no connection, TLS or authentication
 * failed, a 4xx for the session, the connection dropped). Nothing was accepted; every message stays and is
 * tried again later. The message never holds an address or message text.
 */
public class RelayUnavailableException extends OutboxException {
    public RelayUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
