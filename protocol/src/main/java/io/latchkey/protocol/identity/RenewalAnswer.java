package io.latchkey.protocol.identity;

import io.latchkey.protocol.Json;
import java.util.List;

/**
 * Cloud to car on {@code lk/{tenant}/{deviceId}/cert}: the answer to a {@link RenewalRequest}.
 *
 * @param outcome     {@code ISSUED} (certificate and caChain set), {@code IN_USE} (the old certificate is revoked) or
 *                    {@code REFUSED} (reason set; the device keeps its current identity)
 * @param certificate the new certificate, PEM
 */
public record RenewalAnswer(String requestId, String outcome, String certificate, List<String> caChain, String serial, String reason) {
    public static final String ISSUED = "ISSUED";
    public static final String IN_USE = "IN_USE";
    public static final String REFUSED = "REFUSED";

    public byte[] toJson() {
        return Json.write(this);
    }

    public static RenewalAnswer parse(byte[] json) {
        return Json.read(json, RenewalAnswer.class);
    }
}
