package io.latchkey.protocol.key;

import io.latchkey.protocol.MalformedMessageException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * What the phone and the car sign in a presentation (docs/offline-keys.md §3, §4): a context line, then the fields,
 * joined by {@code \n}, UTF-8. No field may hold a line break (ids, enum names, base64url and numbers never do).
 */
public final class SigningInputs {
    private SigningInputs() {
    }

    /** The phone's BLE request. */
    public static byte[] bleRequest(String tenant, String deviceId, String keyId, KeyRight action, String nonce, long counter, String epoch) {
        return lines("latchkey/ble-request/v1", tenant, deviceId, keyId, action.name(), nonce, Long.toString(counter), epoch);
    }

    /** The car's BLE result. */
    public static byte[] bleResult(String tenant, String deviceId, String keyId, KeyRight action, String nonce, long counter,
                                   String outcome, String reason, String lockState) {
        return lines("latchkey/ble-result/v1", tenant, deviceId, keyId, action.name(), nonce, Long.toString(counter), outcome,
                reason == null ? "" : reason, lockState == null ? "" : lockState);
    }

    /** The phone's QR presentation. */
    public static byte[] qrPresentation(String tenant, String deviceId, String keyId, KeyRight action, long counter, Instant time) {
        return lines("latchkey/qr-presentation/v1", tenant, deviceId, keyId, action.name(), Long.toString(counter), time.toString());
    }

    static byte[] lines(String... fields) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            String f = fields[i];
            if (f == null || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) {
                throw new MalformedMessageException("a signed field is missing or holds a line break");
            }
            if (i > 0) {
                out.append('\n');
            }
            out.append(f);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
