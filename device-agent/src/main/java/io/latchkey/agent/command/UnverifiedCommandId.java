package io.latchkey.agent.command;

import io.latchkey.protocol.Json;
import io.latchkey.protocol.command.SignedCommand;
import java.util.Base64;

/**
 * Reads the id out of a command that failed verification, only to label the REJECTED answer so the
 * cloud can match it to what it sent. The id is untrusted: it is echoed, never remembered.
 */
final class UnverifiedCommandId {
    private UnverifiedCommandId() {
    }

    static String peek(byte[] message) {
        try {
            SignedCommand signed = Json.read(message, SignedCommand.class);
            String id = Json.peekText(Base64.getUrlDecoder().decode(signed.payload()), "id");
            return id == null || id.length() > 64 ? null : id;
        } catch (Exception e) {
            return null;
        }
    }
}
