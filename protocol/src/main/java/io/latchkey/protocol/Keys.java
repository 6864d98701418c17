package io.latchkey.protocol;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.io.IOException;
import java.util.Base64;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;

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

    /** A JDK Ed25519 public key as the Bouncy Castle parameters that verify with it. */
    public static Ed25519PublicKeyParameters ed25519(PublicKey key) {
        try {
            AsymmetricKeyParameter p = PublicKeyFactory.createKey(key.getEncoded());
            if (p instanceof Ed25519PublicKeyParameters ed) {
                return ed;
            }
        } catch (IOException | RuntimeException e) {
            throw new ProtocolException("not an Ed25519 public key: " + key.getAlgorithm(), e);
        }
        throw new ProtocolException("not an Ed25519 public key: " + key.getAlgorithm());
    }

    /** A JDK Ed25519 private key as the Bouncy Castle parameters that sign with it. */
    public static Ed25519PrivateKeyParameters ed25519(PrivateKey key) {
        try {
            AsymmetricKeyParameter p = PrivateKeyFactory.createKey(key.getEncoded());
            if (p instanceof Ed25519PrivateKeyParameters ed) {
                return ed;
            }
        } catch (IOException | RuntimeException e) {
            throw new ProtocolException("not an Ed25519 private key: " + key.getAlgorithm(), e);
        }
        throw new ProtocolException("not an Ed25519 private key: " + key.getAlgorithm());
    }
}
