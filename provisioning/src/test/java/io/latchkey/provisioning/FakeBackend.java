package io.latchkey.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.Keys;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * A stand-in for the backend on a real local HTTP server: one tenant, one installer, a device CA that
 * signs whatever request it gets (the real checks are cloud-api's), and every request recorded.
 */
public final class FakeBackend extends Dispatcher implements AutoCloseable {
    public static final String TENANT = "acme";
    public static final String USER = "ines@acme.example";
    public static final String PASSWORD = "correct horse battery staple";
    public static final String COMMAND_KEY = Keys.encodePublic(Keys.newCommandKeyPair().getPublic());
    public static final String KEYSET_KEY = Keys.encodePublic(Keys.newCommandKeyPair().getPublic());
    public static final String UPDATE_KEY = Keys.encodePublic(Keys.newCommandKeyPair().getPublic());
    public static final String RECOVERY_URL = "https://latchkey.acme.example";

    public final MockWebServer server = new MockWebServer();
    public final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final KeyPair caKeys = p256();
    private final X509Certificate ca;
    private volatile Instant tokenExpiry = Instant.now().plusSeconds(900);
    /** Replaces the certificate answer when set, e.g. to return a certificate for another key. */
    public volatile Function<PKCS10CertificationRequest, MockResponse> certificateAnswer;
    /** The car's vehicle profile name in the certificate response; null leaves it out. */
    public volatile String vehicleProfile = "hyundai_i30_2014";
    /** The update keys in the certificate response (kid to base64 key); empty leaves the field out, as an older backend. */
    public volatile Map<String, String> updateKeys = Map.of("upd-1", UPDATE_KEY);
    /** The recovery URL in the certificate response; null leaves it out, as an older backend. */
    public volatile String recoveryUrl = RECOVERY_URL;

    public FakeBackend() throws IOException {
        ca = sign(new X500Name("CN=Latchkey device CA acme, O=acme"), caKeys.getPublic(), true);
        server.setDispatcher(this);
        server.start();
    }

    public String url() {
        String url = server.url("/").toString();
        return url.substring(0, url.length() - 1);
    }

    public void tokensExpireAt(Instant expiry) {
        this.tokenExpiry = expiry;
    }

    public List<RecordedRequest> requestsTo(String pathPart) {
        return requests.stream().filter(r -> r.getPath().contains(pathPart)).toList();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        requests.add(request);
        String path = request.getPath();
        if (path.equals("/t/" + TENANT + "/oauth/token")) {
            String form = request.getBody().clone().readUtf8();
            if (!form.contains("username=" + USER.replace("@", "%40")) || !form.contains("grant_type=password")) {
                return json(400, Map.of("error", "invalid_grant", "error_description", "wrong e-mail or password"));
            }
            return json(200, Map.of("access_token", jwt(), "token_type", "Bearer", "expires_in", 900, "scope", "installer"));
        }
        if (path.startsWith("/t/") && path.endsWith("/oauth/token")) {
            return json(404, Map.of("type", "about:blank", "title", "Not Found", "status", 404, "detail", "unknown tenant"));
        }
        if (!("Bearer " + jwt()).equals(request.getHeader("Authorization"))) {
            return json(401, Map.of("title", "Unauthorized", "status", 401, "detail", "token not valid for this tenant"));
        }
        if (path.matches("/t/acme/devices/[^/]+/certificate")) {
            JsonNode body = Json.read(request.getBody().clone().readByteArray(), JsonNode.class);
            PKCS10CertificationRequest csr = parse(body.get("csr").asText());
            if (certificateAnswer != null) {
                return certificateAnswer.apply(csr);
            }
            return certificateFor(csr);
        }
        if (path.matches("/t/acme/devices/[^/]+/decommission")) {
            return json(200, Map.of("deviceId", path.split("/")[4], "revokedSerials", List.of("1f2e")));
        }
        if (path.matches("/t/acme/devices/[^/]+/install-report")) {
            return json(201, Map.of("status", "received"));
        }
        return json(404, Map.of("title", "Not Found", "status", 404, "detail", "no route " + path));
    }

    public MockResponse certificateFor(PKCS10CertificationRequest csr) {
        try {
            var key = new JcaPEMKeyConverter().getPublicKey(csr.getSubjectPublicKeyInfo());
            X509Certificate cert = sign(csr.getSubject(), key, false);
            Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of("certificate", pem(cert), "caChain", List.of(pem(ca)),
                    "mqttUrl", "ssl://127.0.0.1:1",
                    "commandKeys", List.of(Map.of("kid", "cmd-1", "alg", "Ed25519", "publicKey", COMMAND_KEY)),
                    "keySetKeys", List.of(Map.of("kid", "ks-1", "alg", "Ed25519", "publicKey", KEYSET_KEY))));
            if (vehicleProfile != null) {
                body.put("vehicleProfile", vehicleProfile);
            }
            if (!updateKeys.isEmpty()) {
                body.put("updateKeys", updateKeys.entrySet().stream()
                        .map(e -> Map.of("kid", e.getKey(), "alg", "Ed25519", "publicKey", e.getValue())).toList());
            }
            if (recoveryUrl != null) {
                body.put("recoveryUrl", recoveryUrl);
            }
            return json(201, body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String jwt() {
        String header = b64("{\"alg\":\"ES256\",\"kid\":\"k1\"}");
        String claims = b64("{\"tenant\":\"acme\",\"roles\":[\"installer\"],\"sub\":\"u1\",\"exp\":" + tokenExpiry.getEpochSecond() + "}");
        return header + "." + claims + ".c2ln";
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private X509Certificate sign(X500Name subject, java.security.PublicKey key, boolean isCa) {
        try {
            var builder = new JcaX509v3CertificateBuilder(new X500Name("CN=Latchkey device CA acme, O=acme"), BigInteger.valueOf(System.nanoTime()),
                    java.util.Date.from(Instant.now().minusSeconds(300)), java.util.Date.from(Instant.now().plusSeconds(86_400 * 365L)), subject, key)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(Object value) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    static PKCS10CertificationRequest parse(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            return (PKCS10CertificationRequest) parser.readObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair p256() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static MockResponse json(int status, Object body) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", status >= 400 ? "application/problem+json" : "application/json")
                .setBody(new String(Json.write(body), StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
    }
}
