package io.latchkey.cloud.pki;

/**
 * A well-formed request whose subject names another tenant or another device than the one it was
 * sent for. The HTTP layer answers 403: the caller asked for an identity it may not have.
 */
public class CsrSubjectMismatchException extends PkiException {
    public CsrSubjectMismatchException(String message) {
        super(message);
    }
}
