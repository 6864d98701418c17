package io.latchkey.cloud.identity;

import io.latchkey.cloud.InvalidRequestException;
import java.util.Locale;

/**
 * NIST SP 800-63B / OWASP ASVS style: length over composition. At least {@value #MIN_LENGTH}
 * characters (Unicode code points), up to {@value #MAX_LENGTH} accepted and hashed whole, never
 * truncated; no composition rules. Refused: passwords of white space only (their length is no strength), passwords on the shipped common-password list
 * ({@link CommonPasswords}), the user's own e-mail address and its local part (case-insensitive).
 */
public final class PasswordPolicy {
    public static final int MIN_LENGTH = 12;
    public static final int MAX_LENGTH = 1024;

    private PasswordPolicy() {
    }

    /** @throws InvalidRequestException naming the rule the password breaks */
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
        if (password.codePoints().allMatch(PasswordPolicy::blank)) {
            throw new InvalidRequestException("password must not be only spaces or invisible characters");
        }
        if (email != null && isOwnEmail(password, email)) {
            throw new InvalidRequestException("password must not be your e-mail address");
        }
        if (CommonPasswords.contains(password)) {
            throw new InvalidRequestException("password is too common: it appears on lists of leaked passwords");
        }
    }

    /** White space of any kind (also no-break and ideographic spaces), control and invisible format characters. */
    private static boolean blank(int c) {
        int type = Character.getType(c);
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || type == Character.CONTROL || type == Character.FORMAT;
    }

    private static boolean isOwnEmail(String password, String email) {
        String candidate = password.strip().toLowerCase(Locale.ROOT);
        String normal = email.strip().toLowerCase(Locale.ROOT);
        int at = normal.lastIndexOf('@');
        String localPart = at > 0 ? normal.substring(0, at) : normal;
        return candidate.equals(normal) || candidate.equals(localPart);
    }
}
