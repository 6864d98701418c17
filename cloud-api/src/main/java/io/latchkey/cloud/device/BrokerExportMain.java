package io.latchkey.cloud.device;

import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./latchkey broker-export}: writes an external Mosquitto 2's configuration ({@link BrokerExport}) from the
 * backend's configuration (the same settings and environment variables as {@code server}: data directory, store,
 * secret store). It starts the backend's components without HTTP and with a private in-memory MQTT broker on
 * free loopback ports, so it cannot disturb a running deployment; with the file store the server must be
 * stopped (its data directory is locked), with the shared stores it runs beside the replicas.
 */
public final class BrokerExportMain {
    static final String USAGE = """
            Usage: latchkey broker-export --out DIR --host NAME [--host NAME ...] [--bind ADDRESS]
                                          [--platform-port P] [--tenant-port TENANT=P ...] [--user USER]
                                          [--certificate-days N] [--crl-days N] [--data-dir D]
              Writes mosquitto.conf (one TLS listener for the backend on --platform-port, default 8883, and one
              per tenant: --tenant-port, or the next free number after the highest given), platform-ca.pem,
              broker.crt/broker.key (issued by the platform CA for every --host), acl-platform, and per tenant
              tenants/{tenant}/device-ca.pem, device-ca.crl, acl. Run it again after a revocation and send
              Mosquitto SIGHUP. --bind defaults to 0.0.0.0, --certificate-days to 365, --crl-days to 7.
            """;

    private BrokerExportMain() {
    }

    public static void main(String[] args) {
        try {
            BrokerExport.Options options = parse(args);
            Map<String, Integer> ports = run(options, Map.of());
            System.out.println("latchkey broker-export: wrote " + options.dir().toAbsolutePath().resolve("mosquitto.conf"));
            System.out.println("  backend listener: " + options.platformPort() + " (service identity CN=" + BrokerExport.BACKEND_IDENTITY + ")");
            ports.forEach((tenant, port) -> System.out.println("  tenant " + tenant + ": " + port));
            System.exit(0);
        } catch (IllegalArgumentException e) {
            System.err.println("latchkey broker-export: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        }
    }

    /** Starts the backend's components (no HTTP, a private embedded broker), writes, and stops them. */
    static Map<String, Integer> run(BrokerExport.Options options, Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>();
        props.put("latchkey.mqtt.host", "127.0.0.1");
        props.put("latchkey.mqtt.port", 0);
        props.put("latchkey.mqtt.persistence", "in-memory");
        props.putAll(overrides);
        try (ApplicationContext context = ApplicationContext.builder(props).start()) {
            return context.getBean(BrokerExport.class).write(options);
        }
    }

    static BrokerExport.Options parse(String[] args) {
        Path out = null;
        List<String> hosts = new ArrayList<>();
        String bind = "0.0.0.0";
        int platformPort = 8883;
        Map<String, Integer> tenantPorts = new LinkedHashMap<>();
        String user = null;
        int certificateDays = 365;
        int crlDays = 7;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                throw new IllegalArgumentException("help");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(arg + " needs a value");
            }
            String value = args[++i];
            switch (arg) {
                case "--out" -> out = Path.of(value);
                case "--host" -> hosts.add(value);
                case "--bind" -> bind = value;
                case "--platform-port" -> platformPort = port(arg, value);
                case "--tenant-port" -> {
                    int eq = value.indexOf('=');
                    if (eq < 1) {
                        throw new IllegalArgumentException("--tenant-port takes TENANT=PORT, got '" + value + "'");
                    }
                    tenantPorts.put(value.substring(0, eq), port(arg, value.substring(eq + 1)));
                }
                case "--user" -> user = value;
                case "--certificate-days" -> certificateDays = positive(arg, value);
                case "--crl-days" -> crlDays = positive(arg, value);
                case "--data-dir" -> System.setProperty("latchkey.data-dir", value);
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("--out is required");
        }
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("--host is required (the name devices and the backend reach the broker by)");
        }
        return new BrokerExport.Options(out, hosts, bind, platformPort, tenantPorts, Duration.ofDays(certificateDays),
                Duration.ofDays(crlDays), user);
    }

    private static int port(String option, String value) {
        int port = positive(option, value);
        if (port > 65535) {
            throw new IllegalArgumentException(option + " must be a port number, got " + value);
        }
        return port;
    }

    private static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a positive number, got '" + value + "'");
        }
    }
}
