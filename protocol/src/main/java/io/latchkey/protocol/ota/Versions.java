package io.latchkey.protocol.ota;

import java.util.Comparator;

/**
 * Orders agent versions: dot-separated numbers compared numerically ({@code 0.10.0 > 0.9.1}); a version with a
 * qualifier ({@code 0.2.0-SNAPSHOT}, {@code 0.2.0~20261206}) sorts before the same numbers without one, as Debian's
 * {@code ~} does, and qualifiers compare as text.
 */
public final class Versions {
    public static final Comparator<String> ORDER = Versions::compare;

    private Versions() {
    }

    public static int compare(String a, String b) {
        String[] qa = split(a);
        String[] qb = split(b);
        String[] na = qa[0].split("\\.");
        String[] nb = qb[0].split("\\.");
        for (int i = 0; i < Math.max(na.length, nb.length); i++) {
            long x = i < na.length ? Long.parseLong(na[i]) : 0;
            long y = i < nb.length ? Long.parseLong(nb[i]) : 0;
            if (x != y) {
                return Long.compare(x, y);
            }
        }
        if (qa[1] == null || qb[1] == null) {
            return qa[1] == null ? (qb[1] == null ? 0 : 1) : -1;
        }
        return qa[1].compareTo(qb[1]);
    }

    /** Whether {@code v} is a version this class orders. */
    public static boolean isValid(String v) {
        return v != null && UpdateManifest.VERSION.matcher(v).matches();
    }

    private static String[] split(String v) {
        if (!isValid(v)) {
            throw new IllegalArgumentException("not a version: " + v);
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '-' || c == '~' || c == '+') {
                return new String[] {v.substring(0, i), v.substring(i + 1)};
            }
        }
        return new String[] {v, null};
    }
}
