package io.latchkey.protocol.device;

import io.latchkey.protocol.ProtocolException;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/**
 * A device's EC P-256 key (the one its certificate certifies) as the Bouncy Castle lightweight parameters
 * that sign and verify with it, on Bouncy Castle's optimised P-256 curve. Convert once and keep the result:
 * the public parameters also carry the point's precomputation, which makes later verifications faster.
 */
public final class DeviceKeys {
    static final ECDomainParameters DOMAIN = io.latchkey.protocol.device.P256.DOMAIN;

    private DeviceKeys() {
    }

    /** @throws ProtocolException when the key is not an EC P-256 private key */
    public static ECPrivateKeyParameters signing(PrivateKey key) {
        if (!(key instanceof ECPrivateKey ec) || !isP256(ec.getParams().getOrder(), ec.getParams().getCurve().getField().getFieldSize())) {
            throw new ProtocolException("not an EC P-256 private key: " + (key == null ? "null" : key.getAlgorithm()));
        }
        return new ECPrivateKeyParameters(ec.getS(), DOMAIN);
    }

    /** @throws ProtocolException when the key is not an EC P-256 public key */
    public static ECPublicKeyParameters verification(PublicKey key) {
        if (!(key instanceof ECPublicKey ec) || !isP256(ec.getParams().getOrder(), ec.getParams().getCurve().getField().getFieldSize())) {
            throw new ProtocolException("not an EC P-256 public key: " + (key == null ? "null" : key.getAlgorithm()));
        }
        try {
            return new ECPublicKeyParameters(DOMAIN.getCurve().createPoint(ec.getW().getAffineX(), ec.getW().getAffineY()), DOMAIN);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("not a point on P-256", e);
        }
    }

    private static boolean isP256(BigInteger order, int fieldSize) {
        return fieldSize == 256 && DOMAIN.getN().equals(order);
    }
}
