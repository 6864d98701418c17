package io.latchkey.protocol;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/** Ed25519 command keys and their text forms (base64 of X.509 SubjectPublicKeyInfo / PKCS#8). */
public final class Keys {
    public static final String COMMAND_KEY_ALGORITHM = "Ed25519";

    private Keys() {
    }

    public static KeyPair newCommandKeyPair() {
        try {
            return KeyPairGenerator.getInstance(COMMAND_KEY_ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new ProtocolException("this JVM cannot generate Ed25519 keys", e);
        }
    }

    public static String encodePublic(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    public static String encodePrivate(PrivateKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    public static PublicKey decodeCommandPublicKey(String base64) {
        try {
            return KeyFactory.getInstance(COMMAND_KEY_ALGORITHM)
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64.strip())));
        } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
            throw new ProtocolException("not a base64 Ed25519 public key", e);
        }
    }

    public static PrivateKey decodeCommandPrivateKey(String base64) {
        try {
            return KeyFactory.getInstance(COMMAND_KEY_ALGORITHM)
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64.strip())));
        } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
            throw new ProtocolException("not a base64 PKCS#8 Ed25519 private key", e);
        }
    }

    /** DER of an Ed25519 SubjectPublicKeyInfo up to the 32 raw key bytes (RFC 8410). */
    private static final byte[] SPKI_PREFIX = java.util.HexFormat.of().parseHex("302a300506032b6570032100");

    /**
     * A JDK Ed25519 public key as the Bouncy Castle parameters that verify with it, read straight from
     * its RFC 8410 encoding (Bouncy Castle's generic key factory would load some 150 classes on the agent).
     */
    public static Ed25519PublicKeyParameters ed25519(PublicKey key) {
        byte[] der = key.getEncoded();
        if (der == null || der.length != SPKI_PREFIX.length + Ed25519PublicKeyParameters.KEY_SIZE
                || !java.util.Arrays.equals(der, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
            throw new ProtocolException("not an Ed25519 public key: " + key.getAlgorithm());
        }
        return new Ed25519PublicKeyParameters(der, SPKI_PREFIX.length);
    }

    /** A JDK Ed25519 private key as the Bouncy Castle parameters that sign with it. */
    public static Ed25519PrivateKeyParameters ed25519(PrivateKey key) {
        if (key instanceof java.security.interfaces.EdECPrivateKey ed
                && COMMAND_KEY_ALGORITHM.equalsIgnoreCase(ed.getParams().getName())) {
            byte[] seed = ed.getBytes().orElseThrow(() -> new ProtocolException("the Ed25519 private key has no bytes"));
            if (seed.length == Ed25519PrivateKeyParameters.KEY_SIZE) {
                return new Ed25519PrivateKeyParameters(seed, 0);
            }
        }
        throw new ProtocolException("not an Ed25519 private key: " + key.getAlgorithm());
    }
}
