package io.latchkey.cloud.mqtt;

import com.hivemq.embedded.EmbeddedHiveMQ;
import io.latchkey.cloud.LatchkeyConfig;
import io.latchkey.cloud.ConfigurationCheck;
import io.latchkey.cloud.datadir.PrivateFiles;
import io.latchkey.cloud.mqtt.security.BrokerSecurityExtension;
import io.latchkey.cloud.mqtt.security.BrokerTlsFiles;
import io.latchkey.cloud.mqtt.security.DeviceKeys;
import io.latchkey.cloud.mqtt.security.HiveMqSessionControl;
import io.latchkey.cloud.mqtt.security.SessionControl;
import io.latchkey.cloud.pki.PlatformCertificateAuthority;
import io.latchkey.cloud.tenant.Tenant;
import io.latchkey.cloud.tenant.TenantDirectory;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HiveMQ CE inside this process (the embedded default). Its configuration is generated under
 * {@code {data-dir}/broker/conf} at every start, with two listeners:
 * <ul>
 * <li>mutual TLS on {@code latchkey.mqtt.tls-port} (TLS 1.3/1.2, client certificate required): devices
 * prove their identity with the certificate of their tenant's device CA, the backend with its service
 * certificate from the platform CA; {@link BrokerSecurityExtension} confines each to its topics and
 * refuses revoked certificates;</li>
 * <li>plain TCP on {@code latchkey.mqtt.port}, only while {@code latchkey.mqtt.allow-plain-loopback} is on
 * (the default on a loopback address): for the demo and the simulator. A client id of the device form
 * {@code {tenant}:{deviceId}} must be proven there with a connect token signed by the device key; other
 * clients may use no topic under {@code lk/}.</li>
 * </ul>
 * The TLS files (a fresh server certificate from the platform CA at each start, and a trust store of
 * the platform CA and every tenant's device CA) live in {@code {data-dir}/broker/tls}; the trust store
 * is rewritten when a tenant is created, and HiveMQ picks it up without a restart.
 */
@Context
@Requires(property = "latchkey.mqtt.embedded", notEquals = "false")
public class EmbeddedBroker implements MqttEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    private static final java.time.Duration SERVER_CERTIFICATE_VALIDITY = java.time.Duration.ofDays(365);

    private final EmbeddedHiveMQ hivemq;
    private final String url;
    private final String tlsUrl;
    private final String backendUrl;
    private final SessionControl sessions = new HiveMqSessionControl();

    /** {@code checks}: every configuration check has passed before a broker starts ({@link ConfigurationCheck}). */
    public EmbeddedBroker(MqttConfig config, LatchkeyConfig latchkey, List<ConfigurationCheck> checks, BrokerTrust authorities,
                          TenantDirectory tenants, Clock clock, SecureRandom random, DeviceKeys deviceKeys) {
        Path home = latchkey.dataDirPath().resolve("broker");
        boolean chosenHere = config.tlsPort() == 0;
        int port = -1;
        int tlsPort = -1;
        EmbeddedHiveMQ started = null;
        for (int attempt = 1; started == null; attempt++) {
            port = config.plainListener() ? (config.port() == 0 ? freePort(config.host()) : config.port()) : -1;
            tlsPort = config.tlsPort() == 0 ? freePort(config.host()) : config.tlsPort();
            started = start(home, config, authorities, tenants, random, deviceKeys, clock, port, tlsPort);
            String refusal = tlsListenerRefusal(connectHost(config.host()), tlsPort, authorities.platform().certificate());
            if (refusal != null) {
                stopUnused(started);
                started = null;
                if (!chosenHere || attempt == 3) {
                    throw new MqttException("the embedded MQTT broker's TLS listener on " + config.host() + ":" + tlsPort
                            + " is not serving: " + refusal + " (is latchkey.mqtt.tls-port free?)", null);
                }
                LOG.warn("Embedded MQTT broker: its TLS listener on port {} is not serving ({}); starting again on other ports",
                        tlsPort, refusal);
            }
        }
        this.hivemq = started;
        this.tlsUrl = "ssl://" + config.deviceHost() + ":" + tlsPort;
        this.backendUrl = "ssl://" + connectHost(config.host()) + ":" + tlsPort;
        this.url = config.plainListener() ? "tcp://" + config.host() + ":" + port : tlsUrl;
        if (config.plainListener()) {
            LOG.warn("Embedded MQTT broker: plain listener {} is for development only (devices prove themselves with signed tokens, other clients get no lk/ topic);"
                    + " set latchkey.mqtt.allow-plain-loopback=false to run mutual TLS only", url);
        }
        LOG.info("Embedded MQTT broker listening on {} (mutual TLS, device certificates)", tlsUrl);
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public Optional<String> deviceTlsUrl() {
        return Optional.of(tlsUrl);
    }

    @Override
    public String backendUrl() {
        return backendUrl;
    }

    @Override
    public SessionControl sessions() {
        return sessions;
    }

    @PreDestroy
    void stop() {
        try {
            hivemq.stop().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("embedded MQTT broker did not stop cleanly", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Key store with a fresh server certificate; trust store of every CA known now, rewritten for each new tenant. */
    private static BrokerTlsFiles tlsFiles(Path dir, MqttConfig config, BrokerTrust authorities, TenantDirectory tenants,
                                           SecureRandom random) throws IOException {
        byte[] secret = new byte[18];
        random.nextBytes(secret);
        BrokerTlsFiles tls = new BrokerTlsFiles(PrivateFiles.createDirectories(dir), Base64.getUrlEncoder().encodeToString(secret));
        PlatformCertificateAuthority platform = authorities.platform();
        tls.writeKeyStore(platform.issueBrokerServer(serverNames(config), SERVER_CERTIFICATE_VALIDITY));
        for (Tenant tenant : tenants.all()) {
            authorities.ensure(tenant.id());
        }
        tls.writeTrustStore(authorities.trustedCas());
        authorities.onNewAuthority(ca -> {
            synchronized (tls) {
                tls.writeTrustStore(authorities.trustedCas());
            }
        });
        return tls;
    }

    /** The names the broker's certificate is valid for: the public host, the bind address, and loopback. */
    static List<String> serverNames(MqttConfig config) {
        Set<String> names = new LinkedHashSet<>();
        names.add(config.deviceHost());
        if (!isWildcard(config.host())) {
            names.add(config.host());
        }
        names.add("127.0.0.1");
        names.add("localhost");
        return List.copyOf(names);
    }

    /** HiveMQ on a configuration written for these ports; its start fails only on its own errors, not a port in use. */
    private static EmbeddedHiveMQ start(Path home, MqttConfig config, BrokerTrust authorities, TenantDirectory tenants,
                                        SecureRandom random, DeviceKeys deviceKeys, Clock clock, int port, int tlsPort) {
        try {
            Path conf = PrivateFiles.createDirectories(home.resolve("conf"));
            PrivateFiles.createDirectories(home.resolve("data"));
            PrivateFiles.createDirectories(home.resolve("extensions"));
            BrokerTlsFiles tls = tlsFiles(home.resolve("tls"), config, authorities, tenants, random);
            PrivateFiles.write(conf.resolve("config.xml"), configXml(config.host(), port, tls.listenerXml(config.host(), tlsPort),
                    config.persistence()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                    .withConfigurationFolder(conf)
                    .withDataFolder(home.resolve("data"))
                    .withExtensionsFolder(home.resolve("extensions"))
                    .withEmbeddedExtension(BrokerSecurityExtension.embedded(authorities.trust(), deviceKeys, authorities.platform().certificate(),
                            clock, config.plainListener()))
                    .withoutLoggingBootstrap()
                    .build();
            hivemq.start().get(60, TimeUnit.SECONDS);
            // HiveMQ writes its own files (meta.id, file persistence) with the umask; its 0700 directory keeps
            // them private meanwhile, and the modes are narrowed here and at every start (DataDirectoryGuard).
            PrivateFiles.tighten(home.resolve("data"));
            return hivemq;
        } catch (IOException | ExecutionException | TimeoutException e) {
            throw new MqttException("cannot start the embedded MQTT broker on " + config.host() + " ports " + port + "/" + tlsPort
                    + " (are latchkey.mqtt.port and latchkey.mqtt.tls-port free?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MqttException("interrupted while starting the embedded MQTT broker", e);
        }
    }

    /**
     * Why the TLS listener on {@code port} is not this broker's, or null if it is: HiveMQ starts without a listener
     * whose port is in use (it only logs it), so the port is asked for a certificate, which must be one the platform
     * CA issued (the broker asks for the client's certificate after it sent its own: what it sent is what counts).
     */
    static String tlsListenerRefusal(String host, int port, java.security.cert.X509Certificate platformCa) {
        java.util.concurrent.atomic.AtomicReference<java.security.cert.X509Certificate> presented =
                new java.util.concurrent.atomic.AtomicReference<>();
        javax.net.ssl.X509TrustManager seen = new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType)
                    throws java.security.cert.CertificateException {
                throw new java.security.cert.CertificateException("a client only");
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
                presented.set(chain.length == 0 ? null : chain[0]);
            }

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        };
        try {
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {seen}, null);
            try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket()) {
                socket.connect(new java.net.InetSocketAddress(host, port), 10_000);
                socket.setSoTimeout(10_000);
                socket.startHandshake();
            } catch (IOException e) {
                if (presented.get() == null) {
                    return "no TLS handshake (" + e + ")";
                }
            }
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("no TLS client in this JVM", e);
        }
        try {
            presented.get().verify(platformCa.getPublicKey());
            return null;
        } catch (java.security.GeneralSecurityException e) {
            return "a certificate the platform CA did not issue (" + presented.get().getSubjectX500Principal() + ")";
        }
    }

    private static void stopUnused(EmbeddedHiveMQ hivemq) {
        try {
            hivemq.stop().get(30, TimeUnit.SECONDS);
            hivemq.close();
        } catch (Exception e) {
            LOG.warn("the embedded MQTT broker did not stop: {}", e.toString());
        }
    }

    private static String connectHost(String bindHost) {
        return isWildcard(bindHost) ? "127.0.0.1" : bindHost;
    }

    private static boolean isWildcard(String host) {
        return "0.0.0.0".equals(host) || "::".equals(host) || "[::]".equals(host);
    }

    /** {@code plainPort} below 0: no plain listener. */
    static String configXml(String host, int plainPort, String tlsListenerXml, String persistence) {
        String plain = plainPort < 0 ? "" : """
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>%s</bind-address>
                            <name>latchkey-plain-loopback</name>
                        </tcp-listener>
                """.formatted(plainPort, escape(host));
        return """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                %s%s
                    </listeners>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                    <persistence>
                        <mode>%s</mode>
                    </persistence>
                    <mqtt>
                        <!-- Per client. The backend's one session receives every car's telemetry: each car has
                             at most one batch in flight until its receipt, so this bounds the fleet per backend
                             session before the broker drops (and the cars resend after their receipt timeout). -->
                        <queued-messages>
                            <max-queue-size>10000</max-queue-size>
                        </queued-messages>
                    </mqtt>
                </hivemq>
                """.formatted(plain, tlsListenerXml, persistence);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static int freePort(String host) {
        try {
            return io.latchkey.protocol.net.FreePorts.pick(InetAddress.getByName(host));
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new MqttException("cannot find a free port on " + host, e);
        }
    }
}
