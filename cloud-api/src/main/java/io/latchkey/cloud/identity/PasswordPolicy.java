package io.latchkey.cloud.identity;

import io.latchkey.cloud.InvalidRequestException;
import java.util.Locale;

/**
 * NIST SP 800-63B style: length over composition. At least 12 characters (Unicode code points), up to
 * {@value #MAX_LENGTH} accepted and hashed whole, never truncated; no composition rules; the user's own
 * e-mail is refused.
 */
public final class PasswordPolicy {
    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 1024;

    private PasswordPolicy() {
    }

    public static void check(String password, String email) {
        if (password == null) {
            throw new InvalidRequestException("password is required");
        }
        int length = password.codePointCount(0, password.length());
        if (length < MIN_LENGTH) {
            throw new InvalidRequestException("password must be at least " + MIN_LENGTH + " characters");
        }
        if (length > MAX_LENGTH) {
            throw new InvalidRequestException("password must be at most " + MAX_LENGTH + " characters");
        }
        if (email != null && password.strip().toLowerCase(Locale.ROOT).equals(email.strip().toLowerCase(Locale.ROOT))) {
            throw new InvalidRequestException("password must not be your e-mail address");
        }
    }
}
