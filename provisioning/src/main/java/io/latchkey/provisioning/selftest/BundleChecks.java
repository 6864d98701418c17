package io.latchkey.provisioning.selftest;

import io.latchkey.provisioning.bundle.BundleLayout;
import io.latchkey.provisioning.files.PrivateFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** Checks of the device's identity: the bundle itself, and a mutual-TLS handshake with the broker. */
public final class BundleChecks {
    private static final Duration EXPIRY_WARNING = Duration.ofDays(30);

    private BundleChecks() {
    }

    public static Check identity(InstalledBundle bundle, Clock clock) {
        return HardwareChecks.check("Device identity", () -> {
            X509Certificate cert = bundle.certificate();
            try {
                cert.checkValidity(Date.from(clock.instant()));
                cert.verify(bundle.caChain().get(0).getPublicKey());
                if (!keyMatches(bundle)) {
                    return CheckResult.fail("Device identity", "device.key does not belong to device.crt", "provision the device again");
                }
            } catch (GeneralSecurityException e) {
                return CheckResult.fail("Device identity", "certificate invalid: " + e.getMessage(), "provision the device again");
            }
            Set<PosixFilePermission> permissions = permissions(bundle);
            if (permissions != null && !permissions.equals(PrivateFiles.OWNER_ONLY)) {
                return CheckResult.fail("Device identity", "device.key is readable by others (" + permissions + ")",
                        "run 'chmod 600 " + bundle.dir().resolve(BundleLayout.DEVICE_KEY) + "'");
            }
            Instant notAfter = cert.getNotAfter().toInstant();
            String detail = bundle.tenant() + "/" + bundle.deviceId() + ", certificate valid until " + notAfter;
            if (Duration.between(clock.instant(), notAfter).compareTo(EXPIRY_WARNING) < 0) {
                detail += " (expires within 30 days: provision again soon)";
            }
            return CheckResult.pass("Device identity", detail);
        });
    }

    /** A TLS handshake with the device's certificate: the broker accepted the identity at the TLS layer. */
    public static Check broker(InstalledBundle bundle, Duration timeout) {
        return HardwareChecks.check("Broker connection", () -> {
            URI url = URI.create(bundle.mqttUrl());
            if (!"ssl".equals(url.getScheme())) {
                return CheckResult.fail("Broker connection", "broker " + url + " is not TLS: the device certificate is not used",
                        "ask the operator for the TLS broker URL and provision again");
            }
            try (SSLSocket socket = (SSLSocket) context(bundle).getSocketFactory().createSocket()) {
                socket.connect(new java.net.InetSocketAddress(url.getHost(), url.getPort()), (int) timeout.toMillis());
                socket.setSoTimeout((int) timeout.toMillis());
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                return CheckResult.pass("Broker connection", "TLS " + socket.getSession().getProtocol() + " handshake with " + url.getHost()
                        + ":" + url.getPort() + " using the device certificate");
            } catch (IOException | GeneralSecurityException e) {
                return CheckResult.fail("Broker connection", "cannot reach " + url + ": " + e.getMessage(),
                        "check the device's network (mobile data / Wi-Fi) and that the device was not decommissioned");
            }
        });
    }

    private static SSLContext context(InstalledBundle bundle) throws GeneralSecurityException, IOException {
        char[] password = "selftest".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        X509Certificate[] chain = new X509Certificate[1 + bundle.caChain().size()];
        chain[0] = bundle.certificate();
        for (int i = 0; i < bundle.caChain().size(); i++) {
            chain[i + 1] = bundle.caChain().get(i);
        }
        keys.setKeyEntry("device", bundle.key(), password, chain);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (bundle.brokerCa().isEmpty()) {
            tmf.init((KeyStore) null);
        } else {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            for (int i = 0; i < bundle.brokerCa().size(); i++) {
                trust.setCertificateEntry("broker-ca-" + i, bundle.brokerCa().get(i));
            }
            tmf.init(trust);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private static boolean keyMatches(InstalledBundle bundle) throws GeneralSecurityException {
        byte[] probe = "latchkey".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(bundle.key());
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(bundle.certificate().getPublicKey());
        verifier.update(probe);
        return verifier.verify(signature);
    }

    private static Set<PosixFilePermission> permissions(InstalledBundle bundle) {
        try {
            if (!PrivateFiles.keepsPermissions(bundle.dir())) {
                return null;
            }
            return Files.getPosixFilePermissions(bundle.dir().resolve(BundleLayout.DEVICE_KEY));
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }
}
