package io.latchkey.cloud.mqtt.security;

import io.latchkey.cloud.datadir.PrivateFiles;
import io.latchkey.cloud.pki.PkiException;
import io.latchkey.cloud.pki.TlsIdentity;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Objects;

/**
 * The key store and trust store of the broker's mutual-TLS listener, and the {@code <tls-tcp-listener>}
 * element that points HiveMQ at them. The trust store holds every tenant's device CA and the platform
 * CA; HiveMQ re-reads both files when they change, so rewrite it (with {@link #writeTrustStore}) when
 * a tenant is added, without restarting the broker.
 */
public final class BrokerTlsFiles {
    public static final String KEYSTORE = "broker-keystore.jks";
    public static final String TRUSTSTORE = "broker-truststore.jks";

    private final Path dir;
    private final String password;

    public BrokerTlsFiles(Path dir, String password) {
        this.dir = Objects.requireNonNull(dir, "dir");
        if (password == null || password.length() < 6) {
            throw new PkiException("broker key store password must have at least 6 characters");
        }
        this.password = password;
    }

    public Path keyStore() {
        return dir.resolve(KEYSTORE);
    }

    public Path trustStore() {
        return dir.resolve(TRUSTSTORE);
    }

    public void writeKeyStore(TlsIdentity server) {
        try {
            KeyStore store = KeyStore.getInstance("JKS");
            store.load(null, null);
            store.setKeyEntry(TlsIdentity.KEY_ALIAS, server.privateKey(), password.toCharArray(), server.chain().toArray(X509Certificate[]::new));
            write(store, keyStore());
        } catch (GeneralSecurityException | IOException e) {
            throw new PkiException("cannot write broker key store " + keyStore() + ": " + e.getMessage(), e);
        }
    }

    public void writeTrustStore(Collection<X509Certificate> trustedCas) {
        try {
            KeyStore store = KeyStore.getInstance("JKS");
            store.load(null, null);
            int i = 0;
            for (X509Certificate ca : trustedCas) {
                store.setCertificateEntry("ca-" + i++, ca);
            }
            write(store, trustStore());
        } catch (GeneralSecurityException | IOException e) {
            throw new PkiException("cannot write broker trust store " + trustStore() + ": " + e.getMessage(), e);
        }
    }

    /** The listener element for HiveMQ's {@code config.xml}; TLS 1.2 and 1.3 only, client certificates required. */
    public String listenerXml(String bindAddress, int port) {
        return """
                <tls-tcp-listener>
                    <port>%d</port>
                    <bind-address>%s</bind-address>
                    <name>latchkey-mtls</name>
                    <tls>
                        <protocols>
                            <protocol>TLSv1.3</protocol>
                            <protocol>TLSv1.2</protocol>
                        </protocols>
                        <keystore>
                            <path>%s</path>
                            <password>%s</password>
                            <private-key-password>%s</private-key-password>
                        </keystore>
                        <truststore>
                            <path>%s</path>
                            <password>%s</password>
                        </truststore>
                        <client-authentication-mode>REQUIRED</client-authentication-mode>
                    </tls>
                </tls-tcp-listener>
                """.formatted(port, bindAddress, keyStore().toAbsolutePath(), password, password, trustStore().toAbsolutePath(), password);
    }

    private void write(KeyStore store, Path target) throws IOException, GeneralSecurityException {
        PrivateFiles.createDirectories(dir);
        Path temp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                store.store(out, password.toCharArray());
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
