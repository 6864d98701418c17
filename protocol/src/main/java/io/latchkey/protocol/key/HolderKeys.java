package io.latchkey.protocol.key;

import io.latchkey.protocol.Ed25519;
import io.latchkey.protocol.MalformedMessageException;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;

/**
 * P-256 keys and signatures as browsers' WebCrypto makes them (docs/offline-keys.md §1, §3): a public key as the
 * 65-byte uncompressed point, base64url; a signature as the raw 64-byte {@code r || s} (IEEE P1363) over SHA-256 of the
 * message. Used for the holder's key (phone) and the car's answers to the phone.
 */
public final class HolderKeys {
    static final ECDomainParameters DOMAIN = io.latchkey.protocol.device.P256.DOMAIN;

    private HolderKeys() {
    }

    /** @throws MalformedMessageException if it is not base64url of an uncompressed point on P-256 */
    public static ECPublicKeyParameters decode(String base64url) {
        byte[] point;
        try {
            point = Ed25519.fromBase64url(base64url);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MalformedMessageException("a holder key must be base64url");
        }
        if (point.length != 65 || point[0] != 0x04) {
            throw new MalformedMessageException("a holder key must be a 65-byte uncompressed P-256 point");
        }
        try {
            return new ECPublicKeyParameters(DOMAIN.getCurve().decodePoint(point), DOMAIN);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("a holder key must be a point on P-256");
        }
    }

    /** The uncompressed point of a public key, base64url. */
    public static String encode(ECPublicKeyParameters key) {
        return Ed25519.base64url(key.getQ().getEncoded(false));
    }

    /** Whether {@code signature} (64 bytes, {@code r || s}, both in 1..n-1) signs {@code message} under {@code key}. */
    public static boolean verify(ECPublicKeyParameters key, byte[] message, byte[] signature) {
        if (key == null || message == null || signature == null || signature.length != 64) {
            return false;
        }
        BigInteger n = DOMAIN.getN();
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        if (r.signum() == 0 || s.signum() == 0 || r.compareTo(n) >= 0 || s.compareTo(n) >= 0) {
            return false;
        }
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, key);
        return verifier.verifySignature(sha256(message), r, s);
    }

    /** Signs as WebCrypto would (deterministic nonce, RFC 6979): 64 bytes {@code r || s}. For the car and for tests' phones. */
    public static byte[] sign(ECPrivateKeyParameters key, byte[] message) {
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, key);
        BigInteger[] rs = signer.generateSignature(sha256(message));
        byte[] out = new byte[64];
        copy32(rs[0], out, 0);
        copy32(rs[1], out, 32);
        return out;
    }

    /** A private key's public half. */
    public static ECPublicKeyParameters publicOf(ECPrivateKeyParameters key) {
        return new ECPublicKeyParameters(DOMAIN.getG().multiply(key.getD()).normalize(), DOMAIN);
    }

    /** A private key from its scalar (for test vectors and simulated phones). */
    public static ECPrivateKeyParameters privateKey(BigInteger d) {
        return new ECPrivateKeyParameters(d, DOMAIN);
    }

    private static void copy32(BigInteger value, byte[] out, int offset) {
        byte[] bytes = value.toByteArray();
        int start = Math.max(0, bytes.length - 32);
        int length = bytes.length - start;
        System.arraycopy(bytes, start, out, offset + 32 - length, length);
    }

    private static byte[] sha256(byte[] message) {
        SHA256Digest digest = new SHA256Digest();
        digest.update(message, 0, message.length);
        byte[] out = new byte[32];
        digest.doFinal(out, 0);
        return out;
    }
}
