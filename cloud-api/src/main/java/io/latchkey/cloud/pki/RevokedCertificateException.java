package io.latchkey.cloud.pki;

/** A certificate that was valid but has been revoked, typically because its device was decommissioned. */
public class RevokedCertificateException extends UntrustedCertificateException {
    public RevokedCertificateException(String message) {
        super(message);
    }
}
