package io.latchkey.provisioning.bundle;

import io.latchkey.hal.can.VehicleProfile;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.Keys;
import io.latchkey.protocol.ProtocolException;
import io.latchkey.provisioning.ExitCodes;
import io.latchkey.provisioning.ProvisioningException;
import io.latchkey.provisioning.backend.CertificateResponse;
import io.latchkey.provisioning.backend.CommandKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Assembles the files of one device's bundle from the local key and the backend's answer. */
public final class DeviceBundle {
    private DeviceBundle() {
    }

    public record Identity(String tenant, String deviceId, String carId, String dataDir, String installer, Instant createdAt,
                           HardwareSection.Choice hardware) {
        public Identity(String tenant, String deviceId, String carId, String dataDir, String installer, Instant createdAt) {
            this(tenant, deviceId, carId, dataDir, installer, createdAt, HardwareSection.Choice.PI);
        }
    }

    public static List<BundleFile> files(Identity id, DeviceKeys keys, IssuedCertificate issued, CertificateResponse response) {
        requireMqttUrl(response.mqttUrl());
        Map<String, String> pinned = commandKeys(response.commandKeys());
        List<BundleFile> files = new ArrayList<>();
        files.add(BundleFile.text(BundleLayout.DEVICE_KEY, keys.privateKeyPem(), true));
        files.add(BundleFile.text(BundleLayout.DEVICE_CERTIFICATE, response.certificate().strip() + "\n", false));
        files.add(BundleFile.text(BundleLayout.CA_CHAIN, String.join("", response.caChain()).strip() + "\n", false));
        String brokerCa = null;
        if (!response.brokerCaChain().isEmpty()) {
            brokerCa = BundleLayout.BROKER_CA;
            files.add(BundleFile.text(BundleLayout.BROKER_CA, String.join("", response.brokerCaChain()).strip() + "\n", false));
        }
        files.add(new BundleFile(BundleLayout.COMMAND_KEYS, pretty(response.commandKeys()), false));
        String profile = response.vehicleProfile();
        if (profile != null) {
            files.add(new BundleFile(BundleLayout.VEHICLE_PROFILE, builtInProfile(profile), false));
        }
        files.add(BundleFile.text(BundleLayout.AGENT_CONFIG, AgentConfigFile.render(id.tenant(), id.deviceId(), id.carId(),
                response.mqttUrl(), pinned, id.dataDir(), brokerCa, id.createdAt(), HardwareSection.keys(id.hardware(), profile),
                id.hardware().label()) + pinnedKeys("keyset.keys", "key-set key", response.keySetKeys())
                + pinnedKeys("update.keys", "update key", response.updateKeys()) + recoveryUrl(response.recoveryUrl()), false));
        files.add(new BundleFile(BundleLayout.MANIFEST, manifest(id, issued, response, files), false));
        return files;
    }

    /** The profile's JSON as shipped in the HAL ({@code /profiles/NAME.json}), the one the agent decodes with. */
    static byte[] builtInProfile(String name) {
        if (!VehicleProfile.BUILT_IN.contains(name)) {
            throw new ProvisioningException("the backend's answer cannot be used: the car's vehicle profile '" + name
                    + "' is not built into this tool (it knows " + String.join(", ", VehicleProfile.BUILT_IN) + ")",
                    "nothing was written; update the installer tool, or ask the operator to correct the car's vehicle profile",
                    ExitCodes.UNREACHABLE);
        }
        try (InputStream in = VehicleProfile.class.getResourceAsStream("/profiles/" + name + ".json")) {
            if (in == null) {
                throw new IllegalStateException("hal jar lacks /profiles/" + name + ".json");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ProvisioningException("cannot read the built-in vehicle profile " + name + ": " + e.getMessage(),
                    "report this as a bug", ExitCodes.LOCAL_FILES, e);
        }
    }

    /**
     * {@code <prefix>.<kid>=...} lines: the key-set signing keys ({@code keyset.keys}, docs/device-identity.md, "Key sets")
     * or the update keys ({@code update.keys}, docs/ota.md §2) the device pins; none from a backend that has none.
     */
    private static String pinnedKeys(String prefix, String what, List<CommandKey> keys) {
        StringBuilder out = new StringBuilder();
        for (CommandKey key : keys) {
            if (key.kid() == null || !key.kid().matches("[A-Za-z0-9._-]{1,64}")) {
                throw invalid(what + " id '" + key.kid() + "' is not usable");
            }
            try {
                Keys.decodeCommandPublicKey(key.publicKey());
            } catch (ProtocolException | NullPointerException e) {
                throw invalid(what + " " + key.kid() + " is not a base64 Ed25519 public key");
            }
            out.append(prefix).append('.').append(key.kid()).append('=').append(key.publicKey().strip()).append('\n');
        }
        return out.toString();
    }

    /**
     * {@code identity.recovery-url=...}: where the agent renews a certificate that expired while the car was offline
     * (docs/device-identity.md, "A device offline across its expiry"); nothing from a backend that names none.
     */
    private static String recoveryUrl(String url) {
        if (url == null || url.isBlank()) {
            return "";
        }
        java.net.URI uri;
        try {
            uri = java.net.URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw invalid("recoveryUrl '" + url + "' is not a URL");
        }
        if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                || uri.getQuery() != null || uri.getFragment() != null || url.strip().matches(".*\\s.*")) {
            throw invalid("recoveryUrl '" + url + "' is not the backend's http(s) base URL");
        }
        return "identity.recovery-url=" + url.strip().replaceAll("/+$", "") + "\n";
    }

    private static Map<String, String> commandKeys(List<CommandKey> keys) {
        if (keys.isEmpty()) {
            throw invalid("it sent no command-verification key: the device could not check any command");
        }
        Map<String, String> pinned = new LinkedHashMap<>();
        for (CommandKey key : keys) {
            if (key.kid() == null || !key.kid().matches("[A-Za-z0-9._-]{1,64}")) {
                throw invalid("command key id '" + key.kid() + "' is not usable");
            }
            try {
                Keys.decodeCommandPublicKey(key.publicKey());
            } catch (ProtocolException | NullPointerException e) {
                throw invalid("command key " + key.kid() + " is not a base64 Ed25519 public key");
            }
            pinned.put(key.kid(), key.publicKey().strip());
        }
        return pinned;
    }

    private static void requireMqttUrl(String url) {
        if (url == null || !(url.matches("ssl://[^/\\s]+:\\d+") || url.matches("tcp://[^/\\s]+:\\d+"))) {
            throw invalid("mqttUrl '" + url + "' is not ssl://host:port");
        }
    }

    private static byte[] manifest(Identity id, IssuedCertificate issued, CertificateResponse response, List<BundleFile> files) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("tenant", id.tenant());
        manifest.put("deviceId", id.deviceId());
        manifest.put("carId", id.carId());
        manifest.put("certificateSerial", issued.serialHex());
        manifest.put("certificateNotAfter", issued.certificate().getNotAfter().toInstant().toString());
        manifest.put("mqttUrl", response.mqttUrl());
        manifest.put("hardware", id.hardware().label());
        if (response.vehicleProfile() != null) {
            manifest.put("vehicleProfile", response.vehicleProfile());
        }
        manifest.put("createdAt", id.createdAt().toString());
        manifest.put("createdBy", id.installer());
        Map<String, String> digests = new LinkedHashMap<>();
        for (BundleFile file : files) {
            digests.put(file.name(), sha256(file.content()));
        }
        manifest.put("sha256", digests);
        return pretty(manifest);
    }

    private static byte[] pretty(Object value) {
        try {
            return (Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ProvisioningException("cannot write JSON: " + e.getMessage(), "report this as a bug", ExitCodes.LOCAL_FILES, e);
        }
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    private static ProvisioningException invalid(String why) {
        return new ProvisioningException("the backend's answer cannot be used: " + why,
                "nothing was written; report this to the operator", ExitCodes.UNREACHABLE);
    }
}
