package io.latchkey.cloud.pki;

/**
 * A certificate that does not prove an identity here: unknown or wrong issuer, a signature that does
 * not verify, outside its validity, or missing the Latchkey identity it must carry.
 */
public class UntrustedCertificateException extends PkiException {
    public UntrustedCertificateException(String message) {
        super(message);
    }

    public UntrustedCertificateException(String message, Throwable cause) {
        super(message, cause);
    }
}
