package io.latchkey.protocol.command;

import io.latchkey.protocol.Json;
import io.latchkey.protocol.MalformedMessageException;
import java.util.Base64;

/**
 * What travels on the {@code ack} channel: the exact bytes of the {@link CommandAck}'s JSON (base64url)
 * and a detached signature over them by the device's own key (ECDSA P-256 with SHA-256, DER, base64url),
 * the key its certificate certifies. The payload names tenant, device and command id, so a signature
 * answers one command of one device and nothing else. {@link AckVerifier} checks it.
 */
public record SignedAck(String payload, String signature) {
    /**
     * The acknowledgement inside, <em>without</em> checking the signature: for observers that only watch
     * what a device they run says (simulator ledgers, tests), never for deciding anything.
     *
     * @throws MalformedMessageException not a signed acknowledgement
     */
    public static CommandAck readUnverified(byte[] message) {
        SignedAck signed = Json.read(message, SignedAck.class);
        if (signed.payload() == null) {
            throw new MalformedMessageException("signed ack without payload");
        }
        try {
            return Json.read(Base64.getUrlDecoder().decode(signed.payload()), CommandAck.class);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("signed ack payload is not base64url");
        }
    }
}
