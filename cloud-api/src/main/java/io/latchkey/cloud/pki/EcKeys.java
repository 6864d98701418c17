package io.latchkey.cloud.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;

/** EC P-256 key pairs, the only key type Latchkey certificates carry. */
final class EcKeys {
    static final String CURVE = "secp256r1";
    static final String SIGNATURE = "SHA256withECDSA";

    private EcKeys() {
    }

    static KeyPair generate(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(CURVE), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new PkiException("this JVM cannot generate EC P-256 keys", e);
        }
    }
}
