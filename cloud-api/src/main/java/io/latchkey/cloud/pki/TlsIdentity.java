package io.latchkey.cloud.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;

/** A private key with its certificate chain (leaf first), as a TLS endpoint presents it. */
public record TlsIdentity(PrivateKey privateKey, List<X509Certificate> chain) {
    public static final String KEY_ALIAS = "latchkey";

    public TlsIdentity {
        Objects.requireNonNull(privateKey, "privateKey");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new PkiException("a TLS identity needs at least its own certificate");
        }
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** A PKCS#12 key store holding this identity under {@link #KEY_ALIAS}. */
    public KeyStore keyStore(char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(KEY_ALIAS, privateKey, password, chain.toArray(X509Certificate[]::new));
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new PkiException("cannot build a key store for " + certificate().getSubjectX500Principal(), e);
        }
    }

    public KeyManagerFactory keyManagerFactory() {
        char[] password = "latchkey".toCharArray();
        try {
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keyStore(password), password);
            return factory;
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot build a key manager for " + certificate().getSubjectX500Principal(), e);
        }
    }
}
