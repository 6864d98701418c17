package io.latchkey.cloud.http;

import io.latchkey.cloud.LatchkeyConfig;
import io.micronaut.context.BeanProvider;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Singleton;

/**
 * The base URL clients reach this service at: {@code latchkey.public-url}, or the running server's
 * own {@code http://host:port} (so a random test port is reflected). Issuers are built on it.
 */
@Singleton
public class PublicUrl {
    private final LatchkeyConfig config;
    private final BeanProvider<EmbeddedServer> server;

    public PublicUrl(LatchkeyConfig config, BeanProvider<EmbeddedServer> server) {
        this.config = config;
        this.server = server;
    }

    public String base() {
        if (config.publicUrl() != null) {
            return config.publicUrl();
        }
        if (server.isPresent()) {
            EmbeddedServer s = server.get();
            return s.getScheme() + "://" + s.getHost() + ":" + s.getPort();
        }
        return "http://127.0.0.1:8080";
    }

    public String tenantIssuer(String tenant) {
        return base() + "/t/" + tenant;
    }

    public String platformIssuer() {
        return base() + "/platform";
    }
}
