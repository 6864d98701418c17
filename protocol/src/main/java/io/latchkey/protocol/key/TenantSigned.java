package io.latchkey.protocol.key;

import io.latchkey.protocol.Ed25519;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.MalformedMessageException;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * A document the tenant signs for the car and the phone to carry (docs/offline-keys.md §2, §6): the exact JSON bytes
 * (base64url), the id of the tenant key that signed, and the Ed25519 signature over a context and the bytes. The
 * context separates the kinds of document from each other and from commands (whose signature covers the payload
 * alone).
 *
 * @param signerKeyId the tenant's command key id (pinned by the car at provisioning)
 * @param document    base64url of the JSON bytes
 * @param signature   base64url of {@code Ed25519(key, context || 0x00 || bytes)}
 */
public record TenantSigned(String signerKeyId, String document, String signature) {
    /** The kinds of document, each its own signing context. */
    public enum Kind {
        CREDENTIAL("latchkey/key-credential/v1"),
        REVOCATIONS("latchkey/revocations/v1"),
        /** An over-the-air update's manifest (docs/ota.md), signed by the tenant's update key. */
        UPDATE_MANIFEST("latchkey/update-manifest/v1");

        private final byte[] context;

        Kind(String context) {
            this.context = context.getBytes(StandardCharsets.US_ASCII);
        }

        byte[] signingInput(byte[] document) {
            byte[] input = new byte[context.length + 1 + document.length];
            System.arraycopy(context, 0, input, 0, context.length);
            System.arraycopy(document, 0, input, context.length + 1, document.length);
            return input;
        }
    }

    /** Signs {@code value}'s JSON as a document of {@code kind}. */
    public static TenantSigned sign(Kind kind, Object value, String signerKeyId, Ed25519PrivateKeyParameters key) {
        byte[] bytes = Json.write(value);
        return new TenantSigned(signerKeyId, Ed25519.base64url(bytes), Ed25519.base64url(Ed25519.sign(key, kind.signingInput(bytes))));
    }

    /** ... with the tenant's command key as the JDK holds it. */
    public static TenantSigned sign(Kind kind, Object value, String signerKeyId, java.security.PrivateKey key) {
        return sign(kind, value, signerKeyId, io.latchkey.protocol.Keys.ed25519(key));
    }

    /** The document's bytes, if {@code key} signed them as {@code kind}; null if the signature does not verify. */
    public byte[] verifiedBytes(Kind kind, Ed25519PublicKeyParameters key) {
        byte[] bytes;
        byte[] sig;
        try {
            bytes = Ed25519.fromBase64url(document);
            sig = Ed25519.fromBase64url(signature);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MalformedMessageException("document and signature must be base64url");
        }
        return Ed25519.verify(key, kind.signingInput(bytes), sig) ? bytes : null;
    }
}
