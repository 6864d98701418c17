package io.latchkey.protocol.device;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.util.Objects;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;

/**
 * Signs with the device's own EC P-256 key: ECDSA with SHA-256 (SHA256withECDSA, DER-encoded signature),
 * by Bouncy Castle's lightweight API (passed explicitly, never installed as a provider). The nonce is
 * derived deterministically (RFC 6979), so signing needs no random source. Thread-safe.
 */
public final class DeviceSigner {
    private final ECPrivateKeyParameters key;

    public DeviceSigner(PrivateKey key) {
        this.key = DeviceKeys.signing(Objects.requireNonNull(key, "key"));
    }

    /** The DER signature (SEQUENCE of r and s) over {@code message}. */
    public byte[] sign(byte[] message) {
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, key);
        BigInteger[] rs = signer.generateSignature(DeviceSignatures.sha256(message));
        try {
            return StandardDSAEncoding.INSTANCE.encode(key.getParameters().getN(), rs[0], rs[1]);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot encode an ECDSA signature", e);
        }
    }
}
