package io.latchkey.cloud.http;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.env.Environment;
import io.micronaut.context.exceptions.ConfigurationException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;

/**
 * POLICY: all traffic is encrypted with TLS 1.2 or newer. Plain HTTP is allowed on the loopback interface
 * only; bound to any other address (or to all of them) the server must speak HTTPS and only HTTPS, or it
 * does not start. Configured TLS protocols must be TLSv1.2 or TLSv1.3 (Java 17 disables older ones by
 * default). Runs when the context starts, before the server binds.
 */
@Context
public class TransportSecurityCheck {
    static final String HOST = "micronaut.server.host";
    private static final Set<String> ALLOWED_PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

    public TransportSecurityCheck(Environment environment) {
        String host = environment.getProperty(HOST, String.class).orElse("");
        boolean tls = flag(environment, "micronaut.server.ssl.enabled") || flag(environment, "micronaut.ssl.enabled");
        boolean dual = flag(environment, "micronaut.server.dual-protocol");
        if (!isLoopback(host) && (!tls || dual)) {
            throw new ConfigurationException(HOST + "=" + (host.isBlank() ? "(all interfaces)" : host)
                    + " is not a loopback address, so HTTPS with TLS 1.2+ is required: set micronaut.server.ssl.enabled=true"
                    + " (or micronaut.ssl.enabled) with a key store, and micronaut.server.dual-protocol=false;"
                    + " or bind micronaut.server.host=127.0.0.1");
        }
        for (String key : List.of("micronaut.server.ssl.protocols", "micronaut.ssl.protocols")) {
            for (String protocol : environment.getProperty(key, String[].class).orElse(new String[0])) {
                if (!ALLOWED_PROTOCOLS.contains(protocol.strip())) {
                    throw new ConfigurationException(key + " may list only TLSv1.2 and TLSv1.3, got '" + protocol + "'");
                }
            }
        }
    }

    private static boolean flag(Environment environment, String key) {
        return environment.getProperty(key, Boolean.class).orElse(false);
    }

    /** A blank host binds every interface; a name must resolve to loopback addresses only. */
    static boolean isLoopback(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            InetAddress[] addresses = InetAddress.getAllByName(host.strip());
            for (InetAddress address : addresses) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return addresses.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
