package io.latchkey.cloud.identity;

import io.latchkey.cloud.InvalidRequestException;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one rule for the text that names a person: e-mail addresses (which identify an account) and names
 * (which others see). Both are normalised, so that two spellings of the same text are one account, and
 * both refuse characters a reader cannot see or that change how the text around them is shown: controls
 * (Unicode Cc: NUL, ANSI escapes, line breaks), formatting characters (Cf: zero-width spaces and joiners,
 * bidi overrides and isolates, soft hyphens, tags), line and paragraph separators, unpaired surrogates,
 * unassigned and private-use code points, and the blank letters that render as nothing (Hangul fillers,
 * the Braille blank). Otherwise {@code victim@x.example} plus one invisible character would be a second
 * account that looks like the first.
 *
 * <ul>
 * <li>E-mail: Unicode NFKC (compatibility forms such as full-width letters fold to their plain form), then
 * lower case, then {@code local@domain.tld} without white space; at most 254 characters.</li>
 * <li>Name: Unicode NFC (one encoding for each accented letter), surrounding white space stripped; 1 to 200
 * characters; no white space other than the plain space inside.</li>
 * </ul>
 */
public final class UserText {
    public static final int MAX_EMAIL_LENGTH = 254;
    public static final int MAX_NAME_LENGTH = 200;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");

    private UserText() {
    }

    /**
     * @return the normalised e-mail address, the form it is stored, indexed and compared in
     * @throws InvalidRequestException if it is missing, not an address, or holds a refused character
     */
    public static String email(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new InvalidRequestException("email is required");
        }
        if (hasRefused(raw)) {
            throw new InvalidRequestException("email must not contain control or invisible characters");
        }
        return normalEmail(raw).orElseThrow(() -> new InvalidRequestException("email is not an e-mail address"));
    }

    /** The normalised form of an e-mail address given to sign in or reset; empty if no account could have it. */
    public static Optional<String> emailForLookup(String raw) {
        if (raw == null || raw.isBlank() || raw.length() > 4 * MAX_EMAIL_LENGTH || hasRefused(raw)) {
            return Optional.empty();
        }
        return normalEmail(raw);
    }

    /**
     * @return the normalised name
     * @throws InvalidRequestException if it is blank, longer than {@value #MAX_NAME_LENGTH} characters, or holds a
     *                                 refused character
     */
    public static String name(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new InvalidRequestException("name is required (at most " + MAX_NAME_LENGTH + " characters)");
        }
        if (hasRefused(raw) || raw.strip().codePoints().anyMatch(c -> c != ' ' && isSpace(c))) {
            throw new InvalidRequestException("name must not contain control, invisible or special space characters");
        }
        String normal = Normalizer.normalize(raw, Normalizer.Form.NFC).strip();
        if (normal.codePointCount(0, normal.length()) > MAX_NAME_LENGTH) {
            throw new InvalidRequestException("name is required (at most " + MAX_NAME_LENGTH + " characters)");
        }
        return normal;
    }

    /** Whether {@code text} holds a character this rule refuses (white space is judged by each field). */
    public static boolean hasRefused(String text) {
        return text.codePoints().anyMatch(UserText::refused);
    }

    private static Optional<String> normalEmail(String raw) {
        String normal = Normalizer.normalize(raw, Normalizer.Form.NFKC).strip().toLowerCase(Locale.ROOT);
        if (normal.length() > MAX_EMAIL_LENGTH || !EMAIL.matcher(normal).matches()
                || normal.codePoints().anyMatch(UserText::isSpace) || hasRefused(normal)) {
            return Optional.empty();
        }
        return Optional.of(normal);
    }

    private static boolean isSpace(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    static boolean refused(int c) {
        switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SURROGATE, Character.UNASSIGNED, Character.PRIVATE_USE -> {
                return true;
            }
            default -> {
                // letters and marks that render as nothing: Hangul fillers, Braille blank, combining grapheme
                // joiner, variation selectors, Mongolian free variation selectors
                return c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0 || c == 0x2800 || c == 0x034F
                        || (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF) || (c >= 0x180B && c <= 0x180F);
            }
        }
    }
}
