package io.latchkey.provisioning.selftest;

import io.latchkey.protocol.Json;
import io.latchkey.provisioning.ExitCodes;
import io.latchkey.provisioning.ProvisioningException;
import java.io.StringWriter;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/**
 * The self-test's result, signed with the device's own key, so that the backend can tell it came from
 * the device holding the certificate and the installer cannot later deny or edit it. Like a signed
 * command, the signature covers the exact payload bytes.
 */
public final class InstallReport {
    private InstallReport() {
    }

    /** {@code {"payload": base64url(JSON), "signature": base64url(ECDSA P-256 / SHA-256, DER), "certificate": PEM}}. */
    public static Map<String, String> signed(InstalledBundle bundle, String installer, Instant startedAt, Instant finishedAt,
                                             List<CheckResult> results) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("tenant", bundle.tenant());
        report.put("deviceId", bundle.deviceId());
        report.put("carId", bundle.carId());
        report.put("certificateSerial", bundle.certificate().getSerialNumber().toString(16));
        report.put("installer", installer);
        report.put("startedAt", startedAt.toString());
        report.put("finishedAt", finishedAt.toString());
        report.put("passed", results.stream().allMatch(CheckResult::passed));
        report.put("checks", results);
        byte[] payload = Json.write(report);
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(bundle.key());
            signer.update(payload);
            Map<String, String> signed = new LinkedHashMap<>();
            signed.put("payload", Base64.getUrlEncoder().withoutPadding().encodeToString(payload));
            signed.put("signature", Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign()));
            signed.put("certificate", pem(bundle));
            return signed;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new ProvisioningException("cannot sign the install report: " + e.getMessage(), "provision the device again", ExitCodes.LOCAL_FILES, e);
        }
    }

    private static String pem(InstalledBundle bundle) throws java.io.IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(bundle.certificate());
        }
        return out.toString();
    }
}
