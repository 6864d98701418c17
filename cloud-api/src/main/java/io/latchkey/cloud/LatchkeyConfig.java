package io.latchkey.cloud;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.net.URI;
import java.nio.file.Path;

/**
 * Top-level settings.
 *
 * @param dataDir   {@code latchkey.data-dir}: where the file store, secrets and broker data live
 * @param publicUrl {@code latchkey.public-url}: base of issuer URLs; defaults to the server's own URL
 */
@ConfigurationProperties("latchkey")
public record LatchkeyConfig(@Bindable(defaultValue = "./data") String dataDir, @Nullable String publicUrl) {

    public LatchkeyConfig {
        if (dataDir == null || dataDir.isBlank()) {
            throw new ConfigurationException("latchkey.data-dir must be a directory path, got '" + dataDir + "'");
        }
        if (publicUrl != null) {
            if (publicUrl.isBlank()) {
                publicUrl = null;
            } else {
                publicUrl = stripSlash(publicUrl);
                requireHttpUrl(publicUrl);
            }
        }
    }

    public Path dataDirPath() {
        return Path.of(dataDir).toAbsolutePath().normalize();
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static void requireHttpUrl(String url) {
        try {
            URI uri = URI.create(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException("not http(s)");
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("latchkey.public-url must be an http(s) URL such as https://api.example.com, got '"
                    + url + "'");
        }
    }
}
