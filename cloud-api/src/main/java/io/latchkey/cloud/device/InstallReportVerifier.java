package io.latchkey.cloud.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.cloud.ForbiddenException;
import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.mqtt.security.ClientCertificateVerifier;
import io.latchkey.cloud.mqtt.security.MqttIdentity;
import io.latchkey.cloud.pki.Pem;
import io.latchkey.cloud.pki.PkiException;
import io.latchkey.cloud.pki.RevokedCertificate;
import io.latchkey.cloud.pki.RevokedCertificateException;
import io.latchkey.cloud.pki.UntrustedCertificateException;
import io.latchkey.protocol.Json;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Checks a self-test report before the car is shown as installed: the certificate it comes with is the
 * device's active one, chains to the tenant's device CA and is not revoked; the signature (ECDSA P-256,
 * SHA-256) verifies over the exact payload bytes with that certificate's key; and the payload names the
 * same tenant, device and certificate as the URL and the certificate.
 */
final class InstallReportVerifier {
    private static final ObjectMapper MAPPER = Json.mapper();

    private final DeviceAuthorities authorities;
    private final Clock clock;

    InstallReportVerifier(DeviceAuthorities authorities, Clock clock) {
        this.authorities = authorities;
        this.clock = clock;
    }

    Installation verify(String tenant, String deviceId, DeviceIdentityRecord current, String payloadB64, String signatureB64,
                        String certificatePem, Instant now) {
        byte[] payload = base64Url("payload", payloadB64);
        byte[] signature = base64Url("signature", signatureB64);
        X509Certificate certificate;
        try {
            certificate = Pem.certificate(certificatePem == null ? "" : certificatePem);
        } catch (PkiException e) {
            throw new InvalidRequestException("certificate must be the device certificate in PEM: " + e.getMessage());
        }
        requireDeviceCertificate(tenant, deviceId, current, certificate);
        requireSignature(certificate, payload, signature);
        return summary(tenant, deviceId, current, payload, now);
    }

    private void requireDeviceCertificate(String tenant, String deviceId, DeviceIdentityRecord current, X509Certificate certificate) {
        authorities.ensure(tenant);
        MqttIdentity identity;
        try {
            identity = new ClientCertificateVerifier(authorities.trust(), authorities.platform().certificate(), clock)
                    .verify(new X509Certificate[] {certificate});
        } catch (RevokedCertificateException e) {
            throw new ForbiddenException("the report's certificate has been revoked");
        } catch (UntrustedCertificateException e) {
            throw new ForbiddenException("the report's certificate is not a device certificate of tenant " + tenant + ": " + e.getMessage());
        }
        if (!(identity instanceof MqttIdentity.Device device) || !device.tenant().equals(tenant) || !device.deviceId().equals(deviceId)) {
            throw new ForbiddenException("the report's certificate is not that of device " + tenant + "/" + deviceId);
        }
        String serial = RevokedCertificate.serialText(certificate.getSerialNumber());
        if (!current.active() || !serial.equals(current.serial())) {
            throw new ForbiddenException("the report's certificate " + serial + " is not the active certificate of device " + deviceId);
        }
    }

    private static void requireSignature(X509Certificate certificate, byte[] payload, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(payload);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // A malformed signature is as bad as a wrong one.
        }
        throw new InvalidRequestException("signature does not verify over the payload with the device certificate's key");
    }

    private static Installation summary(String tenant, String deviceId, DeviceIdentityRecord current, byte[] payload, Instant now) {
        JsonNode report;
        try {
            report = MAPPER.readTree(payload);
        } catch (IOException e) {
            throw new InvalidRequestException("payload is not JSON");
        }
        if (report == null || !report.isObject()) {
            throw new InvalidRequestException("payload must be a JSON object");
        }
        requireField(report, "tenant", tenant);
        requireField(report, "deviceId", deviceId);
        requireField(report, "certificateSerial", current.serial());
        JsonNode checks = report.path("checks");
        if (!checks.isArray() || checks.isEmpty()) {
            throw new InvalidRequestException("payload.checks must list the self-test checks");
        }
        List<Installation.FailedCheck> failed = new ArrayList<>();
        for (JsonNode check : checks) {
            if (!"PASS".equals(check.path("status").asText())) {
                failed.add(new Installation.FailedCheck(check.path("name").asText(), check.path("detail").asText(), check.path("hint").asText()));
            }
        }
        boolean passed = failed.isEmpty() && report.path("passed").asBoolean(false);
        return new Installation(passed ? Installation.VERIFIED : Installation.CHECKS_FAILED, deviceId, current.serial(),
                report.path("installer").asText(null), instant(report.path("finishedAt").asText(null)), now, checks.size(), failed);
    }

    private static void requireField(JsonNode report, String field, String expected) {
        if (!expected.equals(report.path(field).asText(null))) {
            throw new InvalidRequestException("payload." + field + " must be '" + expected + "', got '" + report.path(field).asText(null) + "'");
        }
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("payload.finishedAt must be an ISO-8601 instant");
        }
    }

    private static byte[] base64Url(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidRequestException(field + " is required (base64url)");
        }
        try {
            return Base64.getUrlDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(field + " is not base64url");
        }
    }
}
