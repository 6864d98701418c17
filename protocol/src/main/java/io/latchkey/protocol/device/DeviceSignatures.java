package io.latchkey.protocol.device;

import java.io.IOException;
import java.math.BigInteger;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;

/** Checks signatures made by {@link DeviceSigner}: ECDSA P-256 with SHA-256, strict DER. */
public final class DeviceSignatures {
    private DeviceSignatures() {
    }

    /**
     * Whether {@code der} is a valid signature of {@code message} by {@code key}. A signature that is not
     * strict DER, or whose r or s is outside 1..n-1 (the all-zero "psychic signature" among them), is false.
     */
    public static boolean verify(ECPublicKeyParameters key, byte[] message, byte[] der) {
        if (key == null || message == null || der == null) {
            return false;
        }
        BigInteger[] rs;
        try {
            rs = StandardDSAEncoding.INSTANCE.decode(key.getParameters().getN(), der);
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, key);
        return verifier.verifySignature(sha256(message), rs[0], rs[1]);
    }

    static byte[] sha256(byte[] message) {
        SHA256Digest digest = new SHA256Digest();
        digest.update(message, 0, message.length);
        byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return out;
    }
}
