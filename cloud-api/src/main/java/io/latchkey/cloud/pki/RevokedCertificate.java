package io.latchkey.cloud.pki;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/** One revocation: which certificate (by serial, hex), whose it was, when and why. */
public record RevokedCertificate(String serial, String deviceId, Instant revokedAt, String reason) {
    public RevokedCertificate {
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(revokedAt, "revokedAt");
    }

    public static String serialText(BigInteger serial) {
        return serial.toString(16);
    }
}
