package io.latchkey.hal.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one parser for configuration values as people write them in the agent's config file (and the
 * bundle the installer writes): durations, sizes, numbers, choices and booleans. Every failure is a
 * {@link ConfigException} whose message starts with the key, then says what was expected and what was
 * found. The static methods parse one value; an instance reads keys of a flat map with defaults.
 */
public final class ConfigValues {
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib)");

    private final Map<String, String> values;

    /** Reads keys of {@code values}; a key that is absent takes the fallback the caller gives. */
    public ConfigValues(Map<String, String> values) {
        this.values = values;
    }

    public Optional<String> text(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public String text(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    public int integer(String key, int fallback, int min, int max) {
        return values.containsKey(key) ? integer(key, values.get(key), min, max) : fallback;
    }

    public double decimal(String key, double fallback, double min, double max) {
        return values.containsKey(key) ? decimal(key, values.get(key), min, max) : fallback;
    }

    /** A duration that must be positive, or non-negative with {@code zeroAllowed}. */
    public Duration duration(String key, Duration fallback, boolean zeroAllowed) {
        return values.containsKey(key) ? duration(key, values.get(key), zeroAllowed) : fallback;
    }

    /**
     * One of the constants of {@code type}, written lower case with '-' for '_'. Without a fallback
     * ({@code null}) the key is required: a simulation is never chosen by default.
     */
    public <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
        String text = values.get(key);
        if (text == null) {
            if (fallback == null) {
                throw new ConfigException(key + " is required (" + allowed(type) + "); a simulation is never chosen by default");
            }
            return fallback;
        }
        return choice(key, text, type);
    }

    /** {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d} or ISO-8601 ({@code PT5S}); may be zero or negative. */
    public static Duration duration(String key, String text) {
        String value = text.strip();
        Matcher m = SHORT_DURATION.matcher(value);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new ConfigException(key + ": expected a duration such as 500ms, 5s, 2m, 1h, 1d or PT5S, got '" + text + "'");
        }
    }

    /** A {@link #duration(String, String) duration} that must be positive, or non-negative with {@code zeroAllowed}. */
    public static Duration duration(String key, String text, boolean zeroAllowed) {
        Duration d = duration(key, text);
        if (d.isNegative() || d.isZero() && !zeroAllowed) {
            throw new ConfigException(key + ": expected a " + (zeroAllowed ? "non-negative" : "positive") + " duration, got '" + text + "'");
        }
        return d;
    }

    /** Bytes: {@code 1048576}, {@code 512KiB}, {@code 32MB}, {@code 1G} (binary units: K = 1024). */
    public static long size(String key, String text) {
        Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ConfigException(key + ": expected a size such as 1048576, 512KiB or 32MB, got '" + text + "'");
        }
        long unit = switch (m.group(2)) {
            case "", "b" -> 1;
            case "k", "kb", "kib" -> 1024;
            case "m", "mb", "mib" -> 1024 * 1024;
            default -> 1024L * 1024 * 1024;
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new ConfigException(key + ": size too large, got '" + text + "'");
        }
    }

    public static int integer(String key, String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": expected an integer, got '" + text + "'");
        }
    }

    public static int integer(String key, String text, int min, int max) {
        try {
            int n = Integer.parseInt(text.strip());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": expected an integer " + min + ".." + max + ", got '" + text + "'");
        }
    }

    public static double decimal(String key, String text) {
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": expected a number, got '" + text + "'");
        }
    }

    public static double decimal(String key, String text, double min, double max) {
        try {
            double d = Double.parseDouble(text.strip());
            if (!(d >= min && d <= max)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + ": expected a number " + min + ".." + max + ", got '" + text + "'");
        }
    }

    /** {@code true} or {@code false}, any case. */
    public static boolean bool(String key, String text) {
        return bool(key, text, "true", "false");
    }

    /** A yes/no written with the two words given ({@code high}/{@code low} for a line's active level), any case. */
    public static boolean bool(String key, String text, String yes, String no) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        if (value.equals(yes)) {
            return true;
        }
        if (value.equals(no)) {
            return false;
        }
        throw new ConfigException(key + ": expected " + yes + " or " + no + ", got '" + text + "'");
    }

    public static <E extends Enum<E>> E choice(String key, String text, Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (name(e).equals(text.strip().toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        throw new ConfigException(key + ": expected " + allowed(type) + ", got '" + text + "'");
    }

    /** How a choice is written in a config file: {@code CANDUMP_REPLAY} as {@code candump-replay}. */
    public static String name(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String allowed(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(ConfigValues::name).collect(Collectors.joining("|"));
    }
}
