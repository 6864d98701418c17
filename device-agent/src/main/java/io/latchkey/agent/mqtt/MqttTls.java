package io.latchkey.agent.mqtt;

import io.latchkey.agent.AgentConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The device's mutual-TLS material, as the provisioning bundle holds it: its certificate
 * ({@code mqtt.tls.certificate}, PEM), its private key ({@code mqtt.tls.private-key}, PKCS#8 PEM, EC P-256)
 * and optionally the CA certificates of the broker ({@code mqtt.tls.ca}, PEM; without it the JVM's default
 * trust store decides, for a broker with a publicly trusted certificate). Read and checked once at start,
 * so a missing or unreadable file stops the agent with the key named.
 */
public final class MqttTls {
    public static final String CERTIFICATE_KEY = "mqtt.tls.certificate";
    public static final String PRIVATE_KEY_KEY = "mqtt.tls.private-key";
    public static final String CA_KEY = "mqtt.tls.ca";
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    private static final char[] STORE_PASSWORD = "latchkey".toCharArray();

    private final List<X509Certificate> chain;
    private final PrivateKey privateKey;
    private final List<X509Certificate> brokerCas;

    private MqttTls(List<X509Certificate> chain, PrivateKey privateKey, List<X509Certificate> brokerCas) {
        this.chain = List.copyOf(chain);
        this.privateKey = privateKey;
        this.brokerCas = List.copyOf(brokerCas);
    }

    /** @param ca null to trust the JVM's default CAs */
    public static MqttTls load(Path certificate, Path privateKey, Path ca) {
        Objects.requireNonNull(certificate, CERTIFICATE_KEY);
        Objects.requireNonNull(privateKey, PRIVATE_KEY_KEY);
        List<X509Certificate> chain = certificates(CERTIFICATE_KEY, certificate);
        PrivateKey key = privateKey(privateKey);
        List<X509Certificate> cas = ca == null ? List.of() : certificates(CA_KEY, ca);
        return new MqttTls(chain, key, cas);
    }

    /** Material already in memory (a simulated car's enrolment). */
    public static MqttTls of(List<X509Certificate> chain, PrivateKey privateKey, List<X509Certificate> brokerCas) {
        if (chain.isEmpty()) {
            throw new AgentConfigException(CERTIFICATE_KEY + ": no certificate");
        }
        return new MqttTls(chain, Objects.requireNonNull(privateKey, PRIVATE_KEY_KEY), brokerCas);
    }

    /** The device's private key, certified by {@link #certificate()}. */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The CAs the broker's certificate must chain to; empty for the JVM's default trust store. */
    public List<X509Certificate> brokerCas() {
        return brokerCas;
    }

    /** The device certificate (first of the chain). */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    public KeyManagerFactory keyManagerFactory() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            // An in-memory store that lives for this call: the key's encryption in it protects nothing, so it gets one
            // iteration of PBKDF2 instead of PKCS12's default 10,000 (twice: once to store, once when the factory reads
            // it), which took 50-100 ms of the agent's start (docs/benchmarks-agent.md).
            store.setEntry("device", new KeyStore.PrivateKeyEntry(privateKey, chain.toArray(Certificate[]::new)),
                    new KeyStore.PasswordProtection(STORE_PASSWORD, "PBEWithHmacSHA256AndAES_256",
                            new javax.crypto.spec.PBEParameterSpec(new byte[16], 1)));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, STORE_PASSWORD);
            return factory;
        } catch (GeneralSecurityException | IOException e) {
            throw new AgentConfigException(PRIVATE_KEY_KEY + ": the key does not fit the certificate in " + CERTIFICATE_KEY + ": "
                    + e.getMessage(), e);
        }
    }

    /** Null when no {@code mqtt.tls.ca} was given: the JVM's default trust store applies. */
    public TrustManagerFactory trustManagerFactory() {
        if (brokerCas.isEmpty()) {
            return null;
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < brokerCas.size(); i++) {
                store.setCertificateEntry("broker-ca-" + i, brokerCas.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (GeneralSecurityException | IOException e) {
            throw new AgentConfigException(CA_KEY + ": cannot build a trust store: " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> certificates(String key, Path file) {
        List<X509Certificate> result = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (byte[] der : blocks(key, file, "CERTIFICATE")) {
                Collection<? extends Certificate> parsed = factory.generateCertificates(new ByteArrayInputStream(der));
                parsed.forEach(c -> result.add((X509Certificate) c));
            }
        } catch (GeneralSecurityException e) {
            throw new AgentConfigException(key + ": " + file + " holds an unreadable certificate: " + e.getMessage(), e);
        }
        if (result.isEmpty()) {
            throw new AgentConfigException(key + ": " + file + " holds no PEM certificate");
        }
        return result;
    }

    private static PrivateKey privateKey(Path file) {
        List<byte[]> keys = blocks(PRIVATE_KEY_KEY, file, "PRIVATE KEY");
        if (keys.size() != 1) {
            throw new AgentConfigException(PRIVATE_KEY_KEY + ": " + file + " must hold exactly one PKCS#8 'PRIVATE KEY' in PEM");
        }
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(keys.get(0)));
        } catch (GeneralSecurityException e) {
            throw new AgentConfigException(PRIVATE_KEY_KEY + ": " + file + " is not an EC private key: " + e.getMessage(), e);
        }
    }

    private static List<byte[]> blocks(String key, Path file, String type) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new AgentConfigException(key + ": cannot read " + file + ": " + e.getMessage(), e);
        }
        List<byte[]> blocks = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(type)) {
                blocks.add(Base64.getMimeDecoder().decode(m.group(2)));
            }
        }
        return blocks;
    }
}
