package io.latchkey.cloud.store;

import java.util.regex.Pattern;

/** Checks collection, stream and document names before they become file or blob names. */
public final class Names {
    private static final Pattern NAME = Pattern.compile(TenantStore.NAME_PATTERN);

    private Names() {
    }

    /**
     * @throws InvalidNameException for anything else than a name matching {@link TenantStore#NAME_PATTERN}
     *                              without {@code ..}; the message does not quote the refused value (it can be
     *                              anything a caller put in a URL)
     */
    public static String require(String what, String name) {
        if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
            throw new InvalidNameException(what + " must match " + TenantStore.NAME_PATTERN + " without '..'");
        }
        return name;
    }
}
