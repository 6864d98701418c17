package io.latchkey.protocol;

import java.util.regex.Pattern;

/**
 * The one shape of an id that travels in topics, certificates and URLs: device, car, command and
 * service ids. Letters and digits first, then letters, digits, {@code -} or {@code _}, at most 64 in all,
 * so that no id can hold an MQTT wildcard, a topic or path separator, or a URN separator.
 */
public final class Ids {
    /** {@value}: what every id must match, and what error messages quote. */
    public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9_-]{0,63}";
    private static final Pattern ID = Pattern.compile(PATTERN);

    private Ids() {
    }

    /** Whether {@code id} is a well-formed id ({@code null} is not). */
    public static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /** The message for a malformed id in {@code field}: {@code "<field> must match <pattern>"}. */
    public static String mustMatch(String field) {
        return field + " must match " + PATTERN;
    }

    /** The message for a missing or malformed id in {@code field}: {@code "<field> is required and must match <pattern>"}. */
    public static String isRequiredAndMustMatch(String field) {
        return field + " is required and must match " + PATTERN;
    }

    /**
     * @return {@code value}, when it is a well-formed id
     * @throws MalformedMessageException {@code "<field> must match <pattern>, got '<value>'"} otherwise
     */
    public static String require(String field, String value) {
        if (!isValid(value)) {
            throw new MalformedMessageException(mustMatch(field) + ", got '" + value + "'");
        }
        return value;
    }
}
