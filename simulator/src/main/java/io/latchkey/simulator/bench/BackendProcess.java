package io.latchkey.simulator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The real backend, cloud-api, as a child process started from its build output
 * ({@code cloud-api/target/cloud-api-*.jar} and {@code target/lib}), against the benchmark's broker
 * as an external broker, with its store under {@code dataDir} so that the benchmark can count what
 * it stored.
 */
final class BackendProcess implements AutoCloseable {
    private final String name;
    private final String classpath;
    private final List<String> jvmArgs;
    private final Map<String, String> env;
    private final Path log;
    private final String url;
    private ChildProcess process;

    BackendProcess(Path cloudApiTarget, int httpPort, String brokerUrl, Path dataDir, String adminPassword,
                   Duration commandTimeout, String heap, List<String> jvmOptions, Path log) {
        this("backend", cloudApiTarget, httpPort, brokerUrl, dataDir, adminPassword, commandTimeout, heap, jvmOptions,
                Map.of(), log);
    }

    /**
     * @param properties more system properties of the backend (a replica's client id, the shared store, the secret
     *                   store, the devices' broker URL)
     */
    BackendProcess(String name, Path cloudApiTarget, int httpPort, String brokerUrl, Path dataDir, String adminPassword,
                   Duration commandTimeout, String heap, List<String> jvmOptions, Map<String, String> properties, Path log) {
        this.name = name;
        this.classpath = snapshot(cloudApiTarget, dataDir.resolveSibling(name + "-cloud-api"));
        this.url = "http://127.0.0.1:" + httpPort;
        List<String> args = new java.util.ArrayList<>(List.of("-Xmx" + heap,
                // The JVM's default collector (G1), as `./latchkey server` runs it, unless jvmOptions
                // choose another: its young pauses are shorter than the throughput collector's, and
                // they land on the unlock tail.
                "-Dmicronaut.server.port=" + httpPort,
                "-Dlatchkey.data-dir=" + dataDir,
                "-Dlatchkey.mqtt.embedded=false",
                "-Dlatchkey.mqtt.url=" + brokerUrl,
                "-Dlatchkey.commands.timeout=" + commandTimeout.toMillis() + "ms"));
        properties.forEach((k, v) -> args.add("-D" + k + "=" + v));
        args.addAll(jvmOptions);
        this.jvmArgs = List.copyOf(args);
        this.env = Map.of("LATCHKEY_ADMIN_USER", "admin", "LATCHKEY_ADMIN_PASSWORD", adminPassword);
        this.log = log;
        start();
    }

    /** Starts the process (again, after {@link #kill}) and waits until it is healthy. */
    synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        process = ChildProcess.java(name, classpath, jvmArgs, "io.latchkey.cloud.Application", List.of(), env, log);
        awaitHealthy(Duration.ofSeconds(180));
    }

    /** SIGKILL: a crash of this replica. */
    synchronized void kill() {
        if (process != null) {
            process.kill();
        }
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    private static List<String> concat(List<String> first, String... more) {
        List<String> all = new java.util.ArrayList<>(List.of(more));
        all.addAll(first);
        return all;
    }

    /**
     * Copies the jar and its libraries first: cloud-api may be rebuilt while the benchmark runs, and a jar
     * replaced under a running JVM breaks it.
     */
    static String snapshot(Path target, Path copy) {
        String original = classpath(target);
        try {
            Path lib = Files.createDirectories(copy.resolve("lib"));
            Path jar = Path.of(original.substring(0, original.indexOf(java.io.File.pathSeparator)));
            Files.copy(jar, copy.resolve(jar.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            try (var libs = Files.list(target.resolve("lib"))) {
                for (Path f : (Iterable<Path>) libs::iterator) {
                    Files.copy(f, lib.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return copy.resolve(jar.getFileName()) + java.io.File.pathSeparator + lib + "/*";
        } catch (IOException e) {
            throw new IllegalStateException("cannot copy cloud-api from " + target + ": " + e.getMessage(), e);
        }
    }

    static String classpath(Path target) {
        try (var files = Files.list(target)) {
            Path jar = files.filter(p -> p.getFileName().toString().matches("cloud-api-.*\\.jar")
                            && !p.getFileName().toString().contains("tests"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no cloud-api jar in " + target
                            + "; build it: mvn -o -q -pl cloud-api package -DskipTests"));
            if (!Files.isDirectory(target.resolve("lib"))) {
                throw new IllegalStateException("no " + target.resolve("lib") + "; build cloud-api with package");
            }
            return jar + java.io.File.pathSeparator + target.resolve("lib") + "/*";
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + target + ": " + e.getMessage(), e);
        }
    }

    private void awaitHealthy(Duration timeout) {
        OkHttpClient http = new OkHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during start-up (see " + log + ")");
            }
            try (Response r = http.newCall(new Request.Builder().url(url + "/health").build()).execute()) {
                if (r.isSuccessful()) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            ChildProcess.sleep(250);
        }
        throw new IllegalStateException(name + " was not healthy within " + timeout + " (see " + log + ")");
    }

    String url() {
        return url;
    }

    synchronized long pid() {
        return process == null || !process.isAlive() ? -1 : process.pid();
    }

    String name() {
        return name;
    }

    @Override
    public synchronized void close() {
        if (process != null) {
            process.close();
        }
    }
}
