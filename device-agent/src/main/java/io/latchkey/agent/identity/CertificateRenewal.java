package io.latchkey.agent.identity;

import io.latchkey.agent.config.AgentConfig;
import io.latchkey.agent.mqtt.BrokerConnection;
import io.latchkey.agent.mqtt.MqttTls;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.ProtocolException;
import io.latchkey.protocol.device.DeviceSigner;
import io.latchkey.protocol.identity.CertificateRequests;
import io.latchkey.protocol.identity.RenewalAnswer;
import io.latchkey.protocol.identity.RenewalRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device's side of certificate renewal (docs/device-identity.md, "Renewal"). Once {@code identity.renew-at} of the
 * certificate's lifetime has passed, while connected, it makes a new EC P-256 key (or, with
 * {@code identity.renew-new-key=false}, reuses the current one), keeps it in {@code {data.dir}/identity/pending.json}
 * and sends a {@code RENEW} request on its {@code csr} topic, signed by the current key. The answer on {@code cert}
 * (checked: same request, the certificate is for the pending key and this device) is stored atomically as a new
 * generation {@code identity/{serial}/} (key and certificate), then the pointer {@code identity/current} is replaced in
 * one rename, and the agent restarts ({@code restart}) to connect with it. At the first connection with a generation
 * not yet confirmed it sends {@code IN_USE} signed by the new key; the backend then revokes the old certificate.
 * A refusal is logged and asked again at the next check, at most once an hour.
 */
public final class CertificateRenewal {
    static final String DIR = "identity";
    static final Duration RETRY = Duration.ofHours(1);
    private static final Logger LOG = LoggerFactory.getLogger(CertificateRenewal.class);

    /** The request in flight, kept across restarts: its id and the new key (PKCS#8, base64). */
    record Pending(String requestId, String serial, String privateKey) {
    }

    /** A generation in use but not yet confirmed to the backend. */
    record Unconfirmed(String requestId, String serial) {
    }

    private final AgentConfig config;
    private final BrokerConnection connection;
    private final Clock clock;
    private final SecureRandom random;
    private final Runnable restart;
    private final Path dir;
    private volatile Instant lastAsked = Instant.MIN;

    public CertificateRenewal(AgentConfig config, BrokerConnection connection, Clock clock, SecureRandom random, Runnable restart) {
        this.config = config;
        this.connection = connection;
        this.clock = clock;
        this.random = random;
        this.restart = restart;
        this.dir = config.dataDir().resolve(DIR);
    }

    /**
     * {@code config} with the newest stored generation's key and certificate instead of the provisioned ones (which
     * stay untouched in the read-only configuration folder), if there is one.
     */
    public static AgentConfig effective(AgentConfig config) {
        Path pointer = config.dataDir().resolve(DIR).resolve("current");
        if (!Files.exists(pointer) || config.tls() == null) {
            return config;
        }
        try {
            String serial = Files.readString(pointer, StandardCharsets.US_ASCII).strip();
            Path generation = config.dataDir().resolve(DIR).resolve(serial);
            MqttTls provisioned = config.tls();
            MqttTls loaded = MqttTls.load(generation.resolve("device.crt"), generation.resolve("device.key"), null);
            MqttTls renewed = MqttTls.of(List.of(loaded.certificate()), loaded.privateKey(), provisioned.brokerCas());
            return config.toBuilder().tls(renewed).earlierDeviceKeys(earlierKeys(config, serial, loaded)).build();
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: the renewed identity in {} is unreadable ({}); using the provisioned one", config.deviceId(), pointer, e.getMessage());
            return config;
        }
    }

    /** How many earlier device keys the car keeps answering offline-key phones with (newest first). */
    static final int EARLIER_KEYS = 3;

    /**
     * The keys the device had before the generation in use (the provisioned one and earlier generations), newest first,
     * at most {@link #EARLIER_KEYS}, without the current key (a same-key renewal), repeats, or a stored generation newer
     * than the one in use (never switched to): a phone whose
     * credential was issued before a renewal with a new key names one of them (docs/offline-keys.md). An unreadable
     * earlier generation is skipped.
     */
    private static List<KeyPair> earlierKeys(AgentConfig config, String currentSerial, MqttTls current) {
        record Held(Instant notBefore, KeyPair pair) {
        }
        List<Held> held = new ArrayList<>();
        MqttTls provisioned = config.tls();
        held.add(new Held(provisioned.certificate().getNotBefore().toInstant(),
                new KeyPair(provisioned.certificate().getPublicKey(), provisioned.privateKey())));
        Path root = config.dataDir().resolve(DIR);
        try (var generations = Files.list(root)) {
            for (Path g : generations.filter(Files::isDirectory).toList()) {
                if (g.getFileName().toString().equals(currentSerial)) {
                    continue;
                }
                try {
                    MqttTls earlier = MqttTls.load(g.resolve("device.crt"), g.resolve("device.key"), null);
                    held.add(new Held(earlier.certificate().getNotBefore().toInstant(),
                            new KeyPair(earlier.certificate().getPublicKey(), earlier.privateKey())));
                } catch (RuntimeException e) {
                    LOG.debug("{}: earlier identity {} skipped: {}", config.deviceId(), g.getFileName(), e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.debug("{}: earlier identities not listed: {}", config.deviceId(), e.toString());
        }
        // a generation newer than the one in use was stored and never switched to (a power cut before the pointer's
        // rename): its key was never the car's, no credential names it
        Instant inUse = current.certificate().getNotBefore().toInstant();
        held.removeIf(h -> h.notBefore().isAfter(inUse));
        held.sort(java.util.Comparator.comparing(Held::notBefore).reversed());
        List<KeyPair> keys = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        seen.add(Base64.getEncoder().encodeToString(current.certificate().getPublicKey().getEncoded()));
        for (Held h : held) {
            if (keys.size() < EARLIER_KEYS && seen.add(Base64.getEncoder().encodeToString(h.pair().getPublic().getEncoded()))) {
                keys.add(h.pair());
            }
        }
        return keys;
    }

    /** When to renew: {@code identity.renew-at} of the way from notBefore to notAfter. */
    Instant dueAt() {
        X509Certificate certificate = config.tls().certificate();
        Instant from = certificate.getNotBefore().toInstant();
        Instant to = certificate.getNotAfter().toInstant();
        return from.plusMillis((long) (Duration.between(from, to).toMillis() * config.renewAt()));
    }

    /** Called now and then (hourly): asks for a new certificate when it is due. */
    public synchronized void check() {
        if (config.tls() == null || !config.usesTls()) {
            // the plain development listener identifies the device by connect tokens signed with the key on record: a
            // renewed key could not connect there before it is confirmed, so devices on it do not renew
            return;
        }
        Instant now = clock.instant();
        boolean expired = !now.isBefore(config.tls().certificate().getNotAfter().toInstant());
        if ((!expired && !connection.isConnected()) || (expired && config.recoveryUrl() == null)) {
            return; // (expired without a recovery URL: the broker refuses it; see docs/device-identity.md)
        }
        if (now.isBefore(dueAt()) || now.isBefore(lastAsked.plus(RETRY))) {
            return;
        }
        lastAsked = now;
        Pending pending = readPending().orElseGet(this::newPending);
        KeyPair pair = config.renewWithNewKey() ? keyPairOf(pending) : new KeyPair(config.tls().certificate().getPublicKey(),
                config.tls().privateKey());
        String csr = CertificateRequests.pem(pair, config.tenant(), config.deviceId());
        RenewalRequest request = RenewalRequest.signed(RenewalRequest.Type.RENEW, pending.requestId(), serial(config.tls().certificate()),
                csr, config.deviceSigner());
        LOG.info("{}: certificate due for renewal (expires {}); asking as {}", config.deviceId(),
                config.tls().certificate().getNotAfter().toInstant(), pending.requestId());
        if (expired) {
            recover(request);
        } else {
            connection.publish(Channel.CSR, request.toJson(), false);
        }
    }

    /**
     * The certificate expired (the broker refuses it): the same request over HTTPS to the backend's recovery endpoint,
     * accepted there within the grace period after expiry; the answer is stored as one over MQTT would be.
     */
    private void recover(RenewalRequest request) {
        java.net.URI url = config.recoveryUrl().resolve(config.recoveryUrl().getPath() + "/t/" + config.tenant() + "/devices/"
                + config.deviceId() + "/renewal");
        try {
            java.net.http.HttpResponse<byte[]> response = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build()
                    .send(java.net.http.HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(request.toJson())).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 201) {
                answer(response.body());
            } else {
                LOG.warn("{}: certificate recovery refused ({}): {}", config.deviceId(), response.statusCode(),
                        new String(response.body(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            LOG.warn("{}: certificate recovery at {} failed: {}", config.deviceId(), url, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** At every connection: a renewed certificate not yet confirmed is confirmed now. */
    public void connected() {
        Path marker = dir.resolve("unconfirmed.json");
        if (!Files.exists(marker) || config.tls() == null) {
            return;
        }
        try {
            Unconfirmed unconfirmed = Json.read(Files.readAllBytes(marker), Unconfirmed.class);
            if (!unconfirmed.serial().equals(serial(config.tls().certificate()))) {
                return; // not running with that generation (yet)
            }
            connection.publish(Channel.CSR, RenewalRequest.signed(RenewalRequest.Type.IN_USE, unconfirmed.requestId(),
                    unconfirmed.serial(), null, config.deviceSigner()).toJson(), false);
        } catch (IOException | ProtocolException e) {
            LOG.warn("{}: cannot confirm the renewed certificate: {}", config.deviceId(), e.getMessage());
        }
    }

    /** A message on this device's {@code cert} topic. */
    public synchronized void answer(byte[] payload) {
        RenewalAnswer answer = RenewalAnswer.parse(payload);
        if (answer == null || answer.outcome() == null) {
            return;
        }
        switch (answer.outcome()) {
            case RenewalAnswer.ISSUED -> issued(answer);
            case RenewalAnswer.IN_USE -> {
                try {
                    Files.deleteIfExists(dir.resolve("unconfirmed.json"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                LOG.info("{}: the backend sees the renewed certificate in use and revoked {}", config.deviceId(), answer.serial());
            }
            default -> LOG.warn("{}: certificate renewal {} refused: {}", config.deviceId(), answer.requestId(), answer.reason());
        }
    }

    private void issued(RenewalAnswer answer) {
        Pending pending = readPending().orElse(null);
        if (pending == null || !pending.requestId().equals(answer.requestId())) {
            LOG.warn("{}: a certificate for request {} that this device has not asked for; ignored", config.deviceId(), answer.requestId());
            return;
        }
        List<X509Certificate> chain = new ArrayList<>();
        X509Certificate certificate;
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            certificate = (X509Certificate) factory.generateCertificate(
                    new ByteArrayInputStream(answer.certificate().getBytes(StandardCharsets.US_ASCII)));
            chain.add(certificate);
            for (String ca : answer.caChain() == null ? List.<String>of() : answer.caChain()) {
                chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(ca.getBytes(StandardCharsets.US_ASCII))));
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            LOG.warn("{}: the renewed certificate does not parse: {}", config.deviceId(), e.toString());
            return;
        }
        KeyPair pair = config.renewWithNewKey() ? keyPairOf(pending)
                : new KeyPair(config.tls().certificate().getPublicKey(), config.tls().privateKey());
        String subject = certificate.getSubjectX500Principal().getName();
        if (!java.util.Arrays.equals(certificate.getPublicKey().getEncoded(), pair.getPublic().getEncoded())
                || !subject.contains("CN=" + config.deviceId()) || !subject.contains("O=" + config.tenant())) {
            LOG.warn("{}: the renewed certificate is not for this device's pending key; ignored", config.deviceId());
            return;
        }
        String serial = serial(certificate);
        Path generation = dir.resolve(serial);
        StringBuilder pem = new StringBuilder();
        try {
            for (X509Certificate c : chain) {
                pem.append(pem("CERTIFICATE", c.getEncoded()));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        // the generation first, then the one-rename switch; a power cut before it leaves the old identity in use
        AtomicFiles.write(generation.resolve("device.key"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()).getBytes(StandardCharsets.US_ASCII), true);
        AtomicFiles.write(generation.resolve("device.crt"), pem.toString().getBytes(StandardCharsets.US_ASCII), false);
        AtomicFiles.write(dir.resolve("unconfirmed.json"), Json.write(new Unconfirmed(answer.requestId(), serial)), false);
        AtomicFiles.write(dir.resolve("current"), serial.getBytes(StandardCharsets.US_ASCII), false);
        try {
            Files.deleteIfExists(dir.resolve("pending.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LOG.info("{}: renewed certificate {} stored (expires {}); restarting to connect with it", config.deviceId(), serial,
                certificate.getNotAfter().toInstant());
        restart.run();
    }

    private java.util.Optional<Pending> readPending() {
        Path file = dir.resolve("pending.json");
        try {
            return Files.exists(file) ? java.util.Optional.of(Json.read(Files.readAllBytes(file), Pending.class)) : java.util.Optional.empty();
        } catch (IOException | ProtocolException e) {
            return java.util.Optional.empty();
        }
    }

    private Pending newPending() {
        byte[] id = new byte[8];
        random.nextBytes(id);
        String requestId = "renew-" + HexFormat.of().formatHex(id);
        byte[] key = config.renewWithNewKey() ? newKey().getPrivate().getEncoded() : config.tls().privateKey().getEncoded();
        Pending pending = new Pending(requestId, serial(config.tls().certificate()), Base64.getEncoder().encodeToString(key));
        AtomicFiles.write(dir.resolve("pending.json"), Json.write(pending), true);
        return pending;
    }

    private KeyPair keyPairOf(Pending pending) {
        PrivateKey key = privateKey(pending.privateKey());
        try {
            java.security.interfaces.ECPrivateKey ec = (java.security.interfaces.ECPrivateKey) key;
            org.bouncycastle.crypto.params.ECPrivateKeyParameters params = io.latchkey.protocol.device.DeviceKeys.signing(ec);
            org.bouncycastle.math.ec.ECPoint q = params.getParameters().getG().multiply(params.getD()).normalize();
            java.security.spec.ECPoint w = new java.security.spec.ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
            return new KeyPair(KeyFactory.getInstance("EC").generatePublic(new java.security.spec.ECPublicKeySpec(w, ec.getParams())), key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive the pending key's public half: " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(String base64) {
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the pending key is unreadable: " + e.getMessage(), e);
        }
    }

    private KeyPair newKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot make EC P-256 keys", e);
        }
    }

    private static String serial(X509Certificate certificate) {
        return certificate.getSerialNumber().toString(16);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
