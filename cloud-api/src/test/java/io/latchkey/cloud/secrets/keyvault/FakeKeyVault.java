package io.latchkey.cloud.secrets.keyvault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small HTTPS server in the test JVM that speaks the part of the Key Vault secrets REST API that
 * {@link KeyVaultSecretStore} uses, as documented for api-version 7.x / 2025-07-01: the challenge (401 with
 * {@code WWW-Authenticate: Bearer authorization=..., resource=https://vault.azure.net} to a request without a bearer
 * token), {@code PUT /secrets/{name}} (a new version), {@code GET /secrets/{name}/{version?}} (404
 * {@code SecretNotFound}; 403 {@code SecretDisabled} for a disabled version), {@code GET /secrets/{name}/versions},
 * {@code PATCH /secrets/{name}/{version}}, {@code DELETE /secrets/{name}} (soft delete), {@code GET} and
 * {@code DELETE /deletedsecrets/{name}} (purge; 403 with purge protection), and 409 on setting a deleted name.
 * It answers for the host {@value #HOST} (the client resolves it to loopback) with a certificate for that name.
 */
final class FakeKeyVault implements AutoCloseable {
    static final String HOST = "latchkey-test.vault.azure.net";
    static final String DIRECTORY_TENANT = "72f988bf-0000-4000-8000-00000000abcd";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final char[] PASSWORD = "fake-vault".toCharArray();

    record Request(String method, String path, String apiVersion, String authorization, String body) {
    }

    static final class Version {
        final String id;
        final String value;
        final long created;
        boolean enabled = true;
        final Map<String, String> tags;

        Version(String id, String value, long created, Map<String, String> tags) {
            this.id = id;
            this.value = value;
            this.created = created;
            this.tags = tags;
        }
    }

    private final HttpsServer server;
    private final KeyStore trust;
    private final SecureRandom random = new SecureRandom();
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final Map<String, List<Version>> secrets = new LinkedHashMap<>();
    final Map<String, List<Version>> deleted = new LinkedHashMap<>();
    volatile String acceptedToken = "token-1";
    volatile boolean purgeProtection;
    volatile int forbidNext;

    FakeKeyVault() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=" + HOST);
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.DAYS)), name, pair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, HOST)));
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("vault", pair.getPrivate(), PASSWORD, new X509Certificate[] {certificate});
        trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("vault", certificate);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url() {
        return "https://" + HOST + ":" + port();
    }

    /** Trusts this server's certificate only. */
    TrustManagerFactory trust() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        return tmf;
    }

    synchronized List<Version> versions(String name) {
        return List.copyOf(secrets.getOrDefault(name.toLowerCase(), List.of()));
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String query = String.valueOf(exchange.getRequestURI().getRawQuery());
            String apiVersion = null;
            for (String pair : query.split("&")) {
                if (pair.startsWith("api-version=")) {
                    apiVersion = pair.substring("api-version=".length());
                }
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(method, path, apiVersion, authorization, body));
            if (authorization == null) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer authorization=\"https://login.microsoftonline.com/"
                        + DIRECTORY_TENANT + "\", resource=\"https://vault.azure.net\"");
                send(exchange, 401, error("Unauthorized", "AKV10000: Request is missing a Bearer or PoP token."));
                return;
            }
            if (!authorization.equals("Bearer " + acceptedToken)) {
                send(exchange, 401, error("Unauthorized", "AKV10032: Invalid issuer."));
                return;
            }
            if (apiVersion == null) {
                send(exchange, 400, error("BadParameter", "The api-version query parameter is required"));
                return;
            }
            if (forbidNext > 0) {
                forbidNext--;
                send(exchange, 403, error("Forbidden", "The user, group or application does not have secrets permission"));
                return;
            }
            synchronized (this) {
                route(exchange, method, path, body);
            }
        }
    }

    private void route(HttpExchange exchange, String method, String path, String body) throws IOException {
        String[] parts = path.replaceAll("/+$", "").split("/");
        // "", "secrets"|"deletedsecrets", name, [version|"versions"]
        if (parts.length < 3) {
            send(exchange, 400, error("BadParameter", "unsupported path " + path));
            return;
        }
        String collection = parts[1];
        String name = parts[2].toLowerCase();
        String rest = parts.length > 3 ? parts[3] : null;
        if (!parts[2].matches("[0-9a-zA-Z-]{1,127}")) {
            send(exchange, 400, error("BadParameter", "The request URI contains an invalid name: " + parts[2]));
            return;
        }
        if (collection.equals("deletedsecrets")) {
            List<Version> gone = deleted.get(name);
            if (gone == null) {
                send(exchange, 404, error("SecretNotFound", "Deleted Secret not found: " + name));
            } else if (method.equals("GET")) {
                send(exchange, 200, deletedBundle(name, gone));
            } else if (method.equals("DELETE")) {
                if (purgeProtection) {
                    send(exchange, 403, error("Forbidden", "Operation \"purge\" is not allowed because purge protection is enabled"));
                } else {
                    deleted.remove(name);
                    send(exchange, 204, null);
                }
            } else {
                send(exchange, 405, error("BadParameter", "method " + method));
            }
            return;
        }
        List<Version> versions = secrets.get(name);
        switch (method) {
            case "PUT" -> {
                if (deleted.containsKey(name)) {
                    send(exchange, 409, error("Conflict", "Secret " + name + " is currently in a deleted but recoverable state, "
                            + "and its name cannot be reused; in this state, the secret can only be recovered or purged."));
                    return;
                }
                JsonNode request = JSON.readTree(body);
                Map<String, String> tags = new LinkedHashMap<>();
                request.path("tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
                byte[] id = new byte[16];
                random.nextBytes(id);
                Version version = new Version(HexFormat.of().formatHex(id), request.path("value").asText(),
                        Instant.now().getEpochSecond(), tags);
                secrets.computeIfAbsent(name, n -> new ArrayList<>()).add(version);
                send(exchange, 200, bundle(name, version, true));
            }
            case "GET" -> {
                if (versions == null) {
                    send(exchange, 404, error("SecretNotFound", "A secret with (name/id) " + name + " was not found in this key vault."));
                } else if ("versions".equals(rest)) {
                    ObjectNode page = JSON.createObjectNode();
                    var items = page.putArray("value");
                    for (Version v : versions) {
                        ObjectNode item = items.addObject();
                        item.put("id", url() + "/secrets/" + name + "/" + v.id);
                        item.set("attributes", attributes(v));
                        item.set("tags", JSON.valueToTree(v.tags));
                    }
                    page.putNull("nextLink");
                    send(exchange, 200, page);
                } else {
                    Version v = rest == null ? versions.get(versions.size() - 1) : find(versions, rest);
                    if (v == null) {
                        send(exchange, 404, error("SecretNotFound", "A secret with (name/id) " + name + "/" + rest + " was not found in this key vault."));
                    } else if (!v.enabled) {
                        ObjectNode error = error("Forbidden", "Operation get is not allowed on a disabled secret.");
                        ((ObjectNode) error.get("error")).putObject("innererror").put("code", "SecretDisabled");
                        send(exchange, 403, error);
                    } else {
                        send(exchange, 200, bundle(name, v, true));
                    }
                }
            }
            case "PATCH" -> {
                Version v = versions == null || rest == null ? null : find(versions, rest);
                if (v == null) {
                    send(exchange, 404, error("SecretNotFound", "A secret with (name/id) " + name + " was not found in this key vault."));
                    return;
                }
                JsonNode enabled = JSON.readTree(body).path("attributes").path("enabled");
                if (enabled.isBoolean()) {
                    v.enabled = enabled.asBoolean();
                }
                send(exchange, 200, bundle(name, v, false));
            }
            case "DELETE" -> {
                if (versions == null) {
                    send(exchange, 404, error("SecretNotFound", "A secret with (name/id) " + name + " was not found in this key vault."));
                    return;
                }
                secrets.remove(name);
                deleted.put(name, versions);
                send(exchange, 200, deletedBundle(name, versions));
            }
            default -> send(exchange, 405, error("BadParameter", "method " + method));
        }
    }

    private static Version find(List<Version> versions, String id) {
        return versions.stream().filter(v -> v.id.equals(id)).findFirst().orElse(null);
    }

    private ObjectNode bundle(String name, Version v, boolean withValue) {
        ObjectNode node = JSON.createObjectNode();
        if (withValue) {
            node.put("value", v.value);
        }
        node.put("id", url() + "/secrets/" + name + "/" + v.id);
        node.set("attributes", attributes(v));
        node.set("tags", JSON.valueToTree(v.tags));
        return node;
    }

    private ObjectNode deletedBundle(String name, List<Version> versions) {
        ObjectNode node = bundle(name, versions.get(versions.size() - 1), false);
        node.put("recoveryId", url() + "/deletedsecrets/" + name);
        node.put("deletedDate", Instant.now().getEpochSecond());
        node.put("scheduledPurgeDate", Instant.now().plus(90, ChronoUnit.DAYS).getEpochSecond());
        return node;
    }

    private static ObjectNode attributes(Version v) {
        ObjectNode attributes = JSON.createObjectNode();
        attributes.put("enabled", v.enabled);
        attributes.put("created", v.created);
        attributes.put("updated", v.created);
        attributes.put("recoveryLevel", "Recoverable+Purgeable");
        attributes.put("recoverableDays", 90);
        return attributes;
    }

    private static ObjectNode error(String code, String message) {
        ObjectNode node = JSON.createObjectNode();
        node.putObject("error").put("code", code).put("message", message);
        return node;
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
