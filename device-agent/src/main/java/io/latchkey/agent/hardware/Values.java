package io.latchkey.agent.hardware;

import io.latchkey.agent.config.AgentConfigException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Typed reads of {@code hardware.*} values; every failure names the key and what was expected. */
final class Values {
    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private Values() {
    }

    static <E extends Enum<E>> E choice(Map<String, String> v, String key, Class<E> type, E fallback) {
        String text = v.get(key);
        String allowed = Arrays.stream(type.getEnumConstants()).map(HardwareConfig::name).collect(Collectors.joining("|"));
        if (text == null) {
            if (fallback == null) {
                throw new AgentConfigException(key + " is required (" + allowed + "); a simulation is never chosen by default");
            }
            return fallback;
        }
        for (E e : type.getEnumConstants()) {
            if (HardwareConfig.name(e).equals(text.toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        throw new AgentConfigException(key + ": expected " + allowed + ", got '" + text + "'");
    }

    static int integer(String key, String text, int min, int max) {
        try {
            int n = Integer.parseInt(text.strip());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new AgentConfigException(key + ": expected an integer " + min + ".." + max + ", got '" + text + "'");
        }
    }

    static int integer(Map<String, String> v, String key, int fallback, int min, int max) {
        return v.containsKey(key) ? integer(key, v.get(key), min, max) : fallback;
    }

    static double decimal(Map<String, String> v, String key, double fallback, double min, double max) {
        if (!v.containsKey(key)) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v.get(key));
            if (!(d >= min && d <= max)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new AgentConfigException(key + ": expected a number " + min + ".." + max + ", got '" + v.get(key) + "'");
        }
    }

    static Duration duration(Map<String, String> v, String key, Duration fallback, boolean zeroAllowed) {
        String text = v.get(key);
        if (text == null) {
            return fallback;
        }
        Duration d;
        Matcher m = SHORT.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        } else {
            try {
                d = Duration.parse(text);
            } catch (DateTimeParseException e) {
                throw new AgentConfigException(key + ": expected a duration such as 300ms, 60s or 30m, got '" + text + "'");
            }
        }
        if (d.isNegative() || d.isZero() && !zeroAllowed) {
            throw new AgentConfigException(key + ": expected a " + (zeroAllowed ? "non-negative" : "positive") + " duration, got '" + text + "'");
        }
        return d;
    }
}
