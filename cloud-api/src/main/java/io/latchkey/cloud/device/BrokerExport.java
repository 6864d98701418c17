package io.latchkey.cloud.device;

import io.latchkey.cloud.datadir.PrivateFiles;
import io.latchkey.cloud.pki.DeviceCertificateAuthority;
import io.latchkey.cloud.pki.Pem;
import io.latchkey.cloud.pki.TlsIdentity;
import io.latchkey.cloud.tenant.Tenant;
import io.latchkey.cloud.tenant.TenantDirectory;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes what an external Mosquitto 2 needs to enforce Latchkey's device trust (the layout of docs/mosquitto):
 * {@code platform-ca.pem}, a broker server certificate issued by the platform CA ({@code broker.crt} with its
 * chain, {@code broker.key}), {@code acl-platform}, and per tenant {@code tenants/{tenant}/device-ca.pem}, the
 * CRL of its revocations ({@code device-ca.crl}) and its {@code acl}; and {@code mosquitto.conf} with one TLS
 * listener for the backend and one per tenant. Run it again after a revocation (or a new tenant) and send the
 * broker {@code SIGHUP}. Files are written owner-only; the broker's key must be readable by the user Mosquitto
 * runs as.
 */
@Singleton
public class BrokerExport {
    /** Who the backend is on the broker: the CN of its service certificate. */
    public static final String BACKEND_IDENTITY = "latchkey-cloud";

    /**
     * @param dir           where the files go, and the absolute paths {@code mosquitto.conf} names
     * @param hosts         the broker's host names / IP addresses, for its server certificate
     * @param bind          the address the listeners bind to (e.g. {@code 0.0.0.0})
     * @param platformPort  the backend's listener
     * @param tenantPorts   the listener of each tenant; a tenant not named gets the next port after the highest
     * @param runAsUser     Mosquitto's {@code user} setting, or null for its default
     */
    public record Options(Path dir, List<String> hosts, String bind, int platformPort, Map<String, Integer> tenantPorts,
                          Duration certificateValidity, Duration crlValidity, String runAsUser) {
    }

    private final DeviceAuthorities authorities;
    private final TenantDirectory tenants;

    public BrokerExport(DeviceAuthorities authorities, TenantDirectory tenants) {
        this.authorities = authorities;
        this.tenants = tenants;
    }

    /** @return the listener port of each tenant */
    public Map<String, Integer> write(Options o) {
        try {
            Path dir = o.dir().toAbsolutePath();
            PrivateFiles.createDirectories(dir);
            Map<String, Integer> ports = new LinkedHashMap<>(o.tenantPorts());
            int next = Math.max(o.platformPort(), ports.values().stream().mapToInt(Integer::intValue).max().orElse(o.platformPort())) + 1;
            for (Tenant t : tenants.all()) {
                if (!ports.containsKey(t.id())) {
                    ports.put(t.id(), next++);
                }
            }
            TlsIdentity server = authorities.platform().issueBrokerServer(o.hosts(), o.certificateValidity());
            write(dir.resolve("platform-ca.pem"), Pem.encode(authorities.platform().certificate()));
            write(dir.resolve("broker.crt"), Pem.encodeAll(server.chain()));
            write(dir.resolve("broker.key"), Pem.encode(server.privateKey()));
            write(dir.resolve("acl-platform"), "# the backend's service identity may use the whole Latchkey tree, shared subscriptions included\n"
                    + "user " + BACKEND_IDENTITY + "\ntopic readwrite lk/#\n");
            StringBuilder conf = new StringBuilder()
                    .append("# Written by Latchkey's broker export: one TLS listener for the backend, one per tenant.\n")
                    .append("per_listener_settings true\n")
                    .append("persistence true\n")
                    .append("persistence_location ").append(dir.resolve("data")).append("/\n")
                    .append("max_queued_messages 10000\n")
                    // Mosquitto sends a client at most this many QoS 1 messages it has not acknowledged yet (default 20):
                    // a backend replica stores a batch before acknowledging it, so 20 would cap its ingestion at 20
                    // batches in flight, below its 64 ingestion threads (docs/benchmarks-scale.md, "Ingestion: batches
                    // in flight")
                    .append("max_inflight_messages 1000\n")
                    // Without it a QoS 1 command waits for Nagle and the peer's delayed ACK: ~40 ms per round trip
                    // (measured with sim bench --broker mosquitto, docs/benchmarks-fleet.md)
                    .append("set_tcp_nodelay true\n")
                    .append("log_dest stderr\nlog_type error\nlog_type warning\nlog_type notice\nconnection_messages true\n");
            if (o.runAsUser() != null) {
                conf.append("user ").append(o.runAsUser()).append('\n');
            }
            listener(conf, "backend (platform service identities)", o.bind(), o.platformPort(), dir.resolve("platform-ca.pem"), null,
                    dir, dir.resolve("acl-platform"));
            for (Map.Entry<String, Integer> e : ports.entrySet()) {
                String tenant = e.getKey();
                DeviceCertificateAuthority ca = authorities.ensure(tenant);
                Path home = dir.resolve("tenants").resolve(tenant);
                PrivateFiles.createDirectories(home);
                write(home.resolve("device-ca.pem"), Pem.encode(ca.certificate()));
                write(home.resolve("device-ca.crl"), ca.crlPem(authorities.revocations().revoked(tenant), o.crlValidity()));
                write(home.resolve("acl"), tenantAcl(tenant));
                listener(conf, "tenant " + tenant, o.bind(), e.getValue(), home.resolve("device-ca.pem"), home.resolve("device-ca.crl"),
                        dir, home.resolve("acl"));
            }
            PrivateFiles.createDirectories(dir.resolve("data"));
            write(dir.resolve("mosquitto.conf"), conf.toString());
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the broker configuration", e);
        }
    }

    /** Each device (its certificate's CN = its device id = {@code %u}) publishes and reads only its own topics. */
    static String tenantAcl(String tenant) {
        String base = "lk/" + tenant + "/%u/";
        return "# tenant " + tenant + ": a device may use only its own topics\n"
                + "pattern write " + base + "ack\n"
                + "pattern write " + base + "telemetry\n"
                + "pattern write " + base + "state\n"
                + "pattern write " + base + "event\n"
                + "pattern read " + base + "cmd\n"
                + "pattern read " + base + "receipt\n";
    }

    private static void listener(StringBuilder conf, String what, String bind, int port, Path ca, Path crl, Path dir, Path acl) {
        conf.append("\n# --- ").append(what).append('\n')
                .append("listener ").append(port).append(bind == null ? "" : " " + bind).append('\n')
                .append("protocol mqtt\n")
                .append("cafile ").append(ca).append('\n');
        if (crl != null) {
            conf.append("crlfile ").append(crl).append('\n');
        }
        conf.append("certfile ").append(dir.resolve("broker.crt")).append('\n')
                .append("keyfile ").append(dir.resolve("broker.key")).append('\n')
                .append("tls_version tlsv1.2\n")
                .append("require_certificate true\n")
                .append("use_identity_as_username true\n")
                .append("allow_anonymous false\n")
                .append("acl_file ").append(acl).append('\n');
    }

    private static void write(Path file, String text) throws IOException {
        PrivateFiles.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.write(tmp, text.getBytes(StandardCharsets.UTF_8));
        try {
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
