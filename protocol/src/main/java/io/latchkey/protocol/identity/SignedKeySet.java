package io.latchkey.protocol.identity;

import io.latchkey.protocol.Ed25519;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.Keys;
import io.latchkey.protocol.MalformedMessageException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * A {@link KeySet} as published (retained, on {@code lk/{tenant}/{deviceId}/keys}): the exact JSON bytes
 * (base64url), the id of the key-set signing key that signed them, and the Ed25519 signature over
 * {@code "latchkey/key-set/v1" || 0x00 || bytes} (its own context: no command or offline-key document verifies as a
 * key set, nor the other way round).
 */
public record SignedKeySet(String signerKeyId, String document, String signature) {
    static final byte[] CONTEXT = "latchkey/key-set/v1".getBytes(StandardCharsets.US_ASCII);

    public static SignedKeySet sign(KeySet set, String signerKeyId, PrivateKey key) {
        byte[] bytes = Json.write(set);
        return new SignedKeySet(signerKeyId, Ed25519.base64url(bytes),
                Ed25519.base64url(Ed25519.sign(Keys.ed25519(key), signingInput(bytes))));
    }

    public static SignedKeySet parse(byte[] json) {
        SignedKeySet signed = Json.read(json, SignedKeySet.class);
        if (signed == null || signed.signerKeyId() == null || signed.document() == null || signed.signature() == null) {
            throw new MalformedMessageException("a signed key set has signerKeyId, document and signature");
        }
        return signed;
    }

    public byte[] toJson() {
        return Json.write(this);
    }

    /** The set, if {@code key} signed it; null if the signature does not verify. */
    KeySet verifiedWith(PublicKey key) {
        byte[] bytes;
        byte[] sig;
        try {
            bytes = Ed25519.fromBase64url(document);
            sig = Ed25519.fromBase64url(signature);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("document and signature must be base64url");
        }
        if (!Ed25519.verify(Keys.ed25519(key), signingInput(bytes), sig)) {
            return null;
        }
        return Json.read(bytes, KeySet.class);
    }

    /** The set as written, signature unchecked: only for a set the device verified before it saved it. */
    KeySet unverified() {
        try {
            return Json.read(Ed25519.fromBase64url(document), KeySet.class);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("document must be base64url");
        }
    }

    private static byte[] signingInput(byte[] document) {
        byte[] input = new byte[CONTEXT.length + 1 + document.length];
        System.arraycopy(CONTEXT, 0, input, 0, CONTEXT.length);
        System.arraycopy(document, 0, input, CONTEXT.length + 1, document.length);
        return input;
    }
}
