package io.latchkey.cloud.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/** PEM text forms of certificates, PKCS#8 private keys and PKCS#10 requests. */
public final class Pem {
    private Pem() {
    }

    public static String encode(Object value) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            if (value instanceof PrivateKey key) {
                writer.writeObject(new JcaPKCS8Generator(key, null));
            } else {
                writer.writeObject(value);
            }
        } catch (IOException e) {
            throw new PkiException("cannot write " + value.getClass().getSimpleName() + " as PEM", e);
        }
        return out.toString();
    }

    public static String encodeAll(List<X509Certificate> certificates) {
        StringBuilder out = new StringBuilder();
        certificates.forEach(c -> out.append(encode(c)));
        return out.toString();
    }

    /** Every certificate in the text, in order; throws if there is none. */
    public static List<X509Certificate> certificates(String pem) {
        List<X509Certificate> result = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            factory.generateCertificates(new ByteArrayInputStream(requireText(pem, "certificate").getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                    .forEach(c -> result.add((X509Certificate) c));
        } catch (CertificateException e) {
            throw new PkiException("not a PEM X.509 certificate: " + e.getMessage(), e);
        }
        if (result.isEmpty()) {
            throw new PkiException("no PEM X.509 certificate found");
        }
        return result;
    }

    public static X509Certificate certificate(String pem) {
        return certificates(pem).get(0);
    }

    /** Reads a PKCS#8 ({@code PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}) EC key. */
    public static PrivateKey ecPrivateKey(String pem) {
        Object parsed = parse(requireText(pem, "private key"));
        PrivateKeyInfo info;
        if (parsed instanceof PrivateKeyInfo pki) {
            info = pki;
        } else if (parsed instanceof PEMKeyPair pair) {
            info = pair.getPrivateKeyInfo();
        } else {
            throw new PkiException("not a PEM private key");
        }
        try {
            PrivateKey key = new JcaPEMKeyConverter().setProvider(Bc.PROVIDER).getPrivateKey(info);
            // Back to a JDK key, so that signing never depends on which provider read the file.
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new PkiException("not an EC private key: " + e.getMessage(), e);
        }
    }

    /** Reads a PKCS#10 request; anything else is an {@link InvalidCsrException}. */
    public static PKCS10CertificationRequest csr(String pem) {
        if (pem == null || pem.isBlank()) {
            throw new InvalidCsrException("csr is required: a PEM 'CERTIFICATE REQUEST'");
        }
        Object parsed;
        try {
            parsed = parse(pem);
        } catch (PkiException e) {
            throw new InvalidCsrException("csr is not readable PEM: " + e.getMessage(), e);
        }
        if (parsed instanceof PKCS10CertificationRequest request) {
            return request;
        }
        throw new InvalidCsrException("csr must be a PEM 'CERTIFICATE REQUEST' (PKCS#10)");
    }

    private static Object parse(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object parsed = parser.readObject();
            if (parsed == null) {
                throw new PkiException("no PEM object found");
            }
            return parsed;
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new PkiException("malformed PEM: " + e.getMessage(), e);
        }
    }

    private static String requireText(String pem, String what) {
        if (pem == null || pem.isBlank()) {
            throw new PkiException(what + " PEM is empty");
        }
        return pem;
    }
}
