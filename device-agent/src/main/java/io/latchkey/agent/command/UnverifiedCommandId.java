package io.latchkey.agent.command;

import com.fasterxml.jackson.databind.JsonNode;
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
            JsonNode id = Json.mapper().readTree(Base64.getUrlDecoder().decode(signed.payload())).get("id");
            if (id == null || !id.isTextual() || id.asText().length() > 64) {
                return null;
            }
            return id.asText();
        } catch (Exception e) {
            return null;
        }
    }
}
