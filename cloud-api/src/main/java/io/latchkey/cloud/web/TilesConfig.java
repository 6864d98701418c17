package io.latchkey.cloud.web;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import java.net.URI;
import java.util.regex.Pattern;

/**
 * The map tiles of the web apps (an OpenStreetMap-style URL template), or none: then maps draw cars on a plain
 * background. The template's origin is added to the app's {@code img-src}, so it is checked strictly at start-up.
 *
 * @param url         {@code latchkey.web.tiles.url}: e.g. {@code https://tile.example.org/{z}/{x}/{y}.png}; absolute
 *                    {@code https} ({@code http} only on a loopback host), with {@code {z}}, {@code {x}} and {@code {y}},
 *                    no white space, quotes, semicolons or commas
 * @param attribution {@code latchkey.web.tiles.attribution}: the text the map must show with these tiles, required
 *                    with a URL; plain text, 1 to 200 characters
 */
@ConfigurationProperties("latchkey.web.tiles")
public record TilesConfig(@Nullable String url, @Nullable String attribution) {
    static final String URL_KEY = "latchkey.web.tiles.url";
    static final String ATTRIBUTION_KEY = "latchkey.web.tiles.attribution";
    private static final Pattern UNSAFE = Pattern.compile("[\\s\"';,<>\\\\]");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\p{Cf}<>]");

    public TilesConfig {
        if (url != null && !url.isBlank()) {
            URI parsed;
            try {
                parsed = URI.create(url.replace("{", "%7B").replace("}", "%7D"));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(URL_KEY + " is not a URL: '" + url + "'");
            }
            String host = parsed.getHost();
            boolean loopback = "127.0.0.1".equals(host) || "localhost".equals(host) || "[::1]".equals(host);
            if (!parsed.isAbsolute() || host == null || UNSAFE.matcher(url).find()
                    || !("https".equals(parsed.getScheme()) || "http".equals(parsed.getScheme()) && loopback)) {
                throw new ConfigurationException(URL_KEY + " must be an absolute https URL (http only on a loopback host) "
                        + "without white space, quotes, semicolons or commas, got '" + url + "'");
            }
            if (!url.contains("{z}") || !url.contains("{x}") || !url.contains("{y}")) {
                throw new ConfigurationException(URL_KEY + " must hold {z}, {x} and {y}, got '" + url + "'");
            }
            if (attribution == null || attribution.isBlank() || attribution.length() > 200 || CONTROL.matcher(attribution).find()) {
                throw new ConfigurationException(ATTRIBUTION_KEY + " is required with " + URL_KEY
                        + ": plain text, 1 to 200 characters");
            }
        } else {
            url = null;
            attribution = null;
        }
    }

    /** The tiles' origin, for the page's {@code img-src}; null without tiles. */
    @Nullable
    String origin() {
        if (url == null) {
            return null;
        }
        URI parsed = URI.create(url.replace("{", "%7B").replace("}", "%7D"));
        return parsed.getScheme() + "://" + parsed.getRawAuthority();
    }
}
