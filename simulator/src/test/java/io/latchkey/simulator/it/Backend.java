package io.latchkey.simulator.it;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The real backend (cloud-api) in the test JVM, started as its own tests start it: a random HTTP port,
 * the embedded broker on a free port with in-memory persistence, a temporary data directory and a
 * known platform admin.
 */
final class Backend implements AutoCloseable {
    static final String ADMIN_USER = "admin";
    static final String ADMIN_PASSWORD = "platform-admin-password-for-simulator-tests";

    private final EmbeddedServer server;

    Backend(Path dataDir, Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("latchkey.data-dir", dataDir.toString());
        props.put("latchkey.mqtt.port", 0);
        props.put("latchkey.mqtt.persistence", "in-memory");
        props.put("latchkey.admin.user", ADMIN_USER);
        props.put("latchkey.admin.password", ADMIN_PASSWORD);
        props.putAll(overrides);
        this.server = ApplicationContext.run(EmbeddedServer.class, props);
    }

    String url() {
        return server.getURL().toString();
    }

    @Override
    public void close() {
        server.getApplicationContext().close();
    }
}
