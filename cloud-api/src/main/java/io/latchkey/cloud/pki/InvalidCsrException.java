package io.latchkey.cloud.pki;

/**
 * A certificate signing request that cannot be honoured whoever sends it: not PEM, not PKCS#10, a
 * signature that does not verify with the key it carries (no proof of possession), or a key that is
 * not EC P-256. The HTTP layer answers 400.
 */
public class InvalidCsrException extends PkiException {
    public InvalidCsrException(String message) {
        super(message);
    }

    public InvalidCsrException(String message, Throwable cause) {
        super(message, cause);
    }
}
