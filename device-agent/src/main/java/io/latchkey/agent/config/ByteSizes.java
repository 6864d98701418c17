package io.latchkey.agent.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads sizes as people write them: {@code 1048576}, {@code 512KiB}, {@code 32MB}, {@code 1G} (binary units: K = 1024). */
final class ByteSizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib)");

    private ByteSizes() {
    }

    static long parse(String key, String text) {
        Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new AgentConfigException(key + ": expected a size such as 1048576, 512KiB or 32MB, got '" + text + "'");
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
            throw new AgentConfigException(key + ": size too large, got '" + text + "'");
        }
    }
}
