package io.latchkey.cloud.store;

import java.util.regex.Pattern;

/** Checks collection, stream and document names before they become file or blob names. */
public final class Names {
    private static final Pattern NAME = Pattern.compile(TenantStore.NAME_PATTERN);

    private Names() {
    }

    public static String require(String what, String name) {
        if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
            throw new IllegalArgumentException(what + " must match " + TenantStore.NAME_PATTERN + ", got '" + name + "'");
        }
        return name;
    }
}
