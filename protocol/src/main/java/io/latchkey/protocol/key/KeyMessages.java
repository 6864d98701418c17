package io.latchkey.protocol.key;

import io.latchkey.protocol.Ed25519;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.MalformedMessageException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The messages of a presentation (docs/offline-keys.md §3, §4): the BLE exchange's JSON objects, told apart by
 * {@code t}, and the QR payload. Shared by the car, the app's reference (the simulator's virtual phone) and tests.
 */
public final class KeyMessages {
    /** The QR text's prefix: version 1, then base64url of a {@link QrPayload}'s JSON. */
    public static final String QR_PREFIX = "LK1.";

    private KeyMessages() {
    }

    /** Only the discriminator, to tell which message arrived. */
    public record Kind(String t) {
    }

    /** Phone to car, first: the credential and, if the phone carries one, the newest revocation list it has. */
    public record Hello(String t, TenantSigned credential, TenantSigned revocations) {
        public Hello(TenantSigned credential, TenantSigned revocations) {
            this("hello", credential, revocations);
        }
    }

    /** Car to phone: a fresh, single-use challenge, and what the car knows of the time. */
    public record Challenge(String t, String nonce, long counter, String epoch, Instant carTime, String timeConfidence) {
        public Challenge(String nonce, long counter, String epoch, Instant carTime, String timeConfidence) {
            this("challenge", nonce, counter, epoch, carTime, timeConfidence);
        }
    }

    /** Phone to car: the action, the challenge echoed, and the holder's signature over both. */
    public record Request(String t, KeyRight action, String nonce, long counter, String signature) {
        public Request(KeyRight action, String nonce, long counter, String signature) {
            this("request", action, nonce, counter, signature);
        }
    }

    /**
     * Car to phone, last: what the car did. {@code nonce}, {@code counter} and {@code signature} are absent when no
     * challenge was answered (a credential refused at hello, a malformed message).
     */
    public record Result(String t, String outcome, String reason, String lockState, String nonce, Long counter, String signature) {
        public Result(String outcome, String reason, String lockState, String nonce, Long counter, String signature) {
            this("result", outcome, reason, lockState, nonce, counter, signature);
        }
    }

    /** The QR code's content. */
    public record QrPayload(TenantSigned credential, Presentation presentation) {
    }

    /** The holder's one-way presentation: action, counter and time, signed. */
    public record Presentation(KeyRight action, long counter, Instant time, String signature) {
    }

    /** What {@code t} a message names. @throws MalformedMessageException if it is not a JSON object with a {@code t} */
    public static String kind(byte[] message) {
        Kind kind = Json.read(message, Kind.class);
        if (kind == null || kind.t() == null) {
            throw new MalformedMessageException("a key message needs t");
        }
        return kind.t();
    }

    /** The text a QR code shows for {@code payload}. */
    public static String qrText(QrPayload payload) {
        return QR_PREFIX + Ed25519.base64url(Json.write(payload));
    }

    /** @throws MalformedMessageException if {@code text} is not {@code LK1.} and base64url of a payload */
    public static QrPayload readQr(String text) {
        if (text == null || !text.startsWith(QR_PREFIX)) {
            throw new MalformedMessageException("not a Latchkey key code");
        }
        byte[] json;
        try {
            json = Ed25519.fromBase64url(text.substring(QR_PREFIX.length()).trim());
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("a key code must be base64url after " + QR_PREFIX);
        }
        QrPayload payload = Json.read(json, QrPayload.class);
        if (payload == null || payload.credential() == null || payload.presentation() == null) {
            throw new MalformedMessageException("a key code needs credential and presentation");
        }
        return payload;
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
