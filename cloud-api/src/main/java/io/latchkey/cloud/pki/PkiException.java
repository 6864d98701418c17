package io.latchkey.cloud.pki;

import io.latchkey.cloud.LatchkeyCloudException;

/**
 * Root of everything the device PKI throws. Callers branch on the subclasses: a request that is
 * malformed ({@link InvalidCsrException}), one that asks for an identity the caller may not have
 * ({@link CsrSubjectMismatchException}), a certificate that is not trusted
 * ({@link UntrustedCertificateException}, {@link RevokedCertificateException}).
 */
public class PkiException extends LatchkeyCloudException {
    public PkiException(String message) {
        super(message);
    }

    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }
}
