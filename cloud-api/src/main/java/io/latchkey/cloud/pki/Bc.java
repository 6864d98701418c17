package io.latchkey.cloud.pki;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * One BouncyCastle provider instance, passed explicitly where the JDK lacks an algorithm (reading
 * keys by OID in PKCS#10 requests). It is never installed globally.
 */
final class Bc {
    static final Provider PROVIDER = new BouncyCastleProvider();

    private Bc() {
    }
}
