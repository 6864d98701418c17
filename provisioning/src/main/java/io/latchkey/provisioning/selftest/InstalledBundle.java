package io.latchkey.provisioning.selftest;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.protocol.Json;
import io.latchkey.provisioning.ExitCodes;
import io.latchkey.provisioning.ProvisioningException;
import io.latchkey.provisioning.bundle.BundleLayout;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/** A device bundle as found on the device: the agent config, the identity and the trust anchors. */
public record InstalledBundle(Path dir, Properties config, JsonNode manifest, PrivateKey key, X509Certificate certificate,
                              List<X509Certificate> caChain, List<X509Certificate> brokerCa, Optional<JsonNode> vehicleProfile) {

    public static InstalledBundle load(Path dir) {
        Path config = dir.resolve(BundleLayout.AGENT_CONFIG);
        if (!Files.isRegularFile(config)) {
            throw new ProvisioningException("no device bundle in " + dir + " (missing " + BundleLayout.AGENT_CONFIG + ")",
                    "give --bundle the directory that holds agent.properties, or provision the device first", ExitCodes.LOCAL_FILES);
        }
        try {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
            JsonNode manifest = Json.mapper().readTree(dir.resolve(BundleLayout.MANIFEST).toFile());
            Path profile = dir.resolve(BundleLayout.VEHICLE_PROFILE);
            return new InstalledBundle(dir, properties, manifest, privateKey(dir.resolve(BundleLayout.DEVICE_KEY)),
                    certificates(dir.resolve(BundleLayout.DEVICE_CERTIFICATE)).get(0), certificates(dir.resolve(BundleLayout.CA_CHAIN)),
                    Files.exists(dir.resolve(BundleLayout.BROKER_CA)) ? certificates(dir.resolve(BundleLayout.BROKER_CA)) : List.of(),
                    Files.exists(profile) ? Optional.of(Json.mapper().readTree(profile.toFile())) : Optional.empty());
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new ProvisioningException("the device bundle in " + dir + " is damaged: " + e.getMessage(),
                    "provision the device again (decommission the old identity first)", ExitCodes.LOCAL_FILES, e);
        }
    }

    public String tenant() {
        return config.getProperty("tenant");
    }

    public String deviceId() {
        return config.getProperty("device.id");
    }

    public String carId() {
        return manifest.path("carId").asText(null);
    }

    public String mqttUrl() {
        return config.getProperty("mqtt.url");
    }

    private static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new GeneralSecurityException(file.getFileName() + " is not a PKCS#8 private key");
        }
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    private static List<X509Certificate> certificates(Path file) throws IOException, GeneralSecurityException {
        List<X509Certificate> result = new ArrayList<>();
        CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(Files.readAllBytes(file)))
                .forEach(c -> result.add((X509Certificate) c));
        if (result.isEmpty()) {
            throw new GeneralSecurityException(file.getFileName() + " holds no certificate");
        }
        return result;
    }
}
