package io.latchkey.simulator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.protocol.Json;
import io.latchkey.simulator.api.DeviceEnrolment.EnrolledDevice;
import io.latchkey.simulator.fleet.Fleet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The benchmark's cars split over {@code K} child JVMs ({@link FleetWorkerMain}), car {@code i} in process
 * {@code i mod K}. Each child is started through {@code bash -c 'ulimit -n <hard limit>; exec java ...'} so
 * its soft open-file limit is as high as this machine allows, and checks its own {@code FileHandleBudget}.
 */
final class RemoteBenchFleet implements BenchFleet {
    private final List<Worker> workers = new ArrayList<>();
    private final int size;

    /**
     * @param cars each car's device and its index in the whole fleet
     */
    RemoteBenchFleet(int processes, BenchCars.Setup setup, List<BenchCars.Car> cars, String heap, Path workDir,
                     PrintStream out) throws IOException {
        this.size = cars.size();
        ObjectMapper json = Json.mapper();
        List<String> cas = new ArrayList<>();
        for (X509Certificate ca : setup.brokerCas()) {
            cas.add(der(ca));
        }
        try {
            for (int p = 0; p < processes; p++) {
                List<FleetWorkerMain.Car> slice = new ArrayList<>();
                for (int i = p; i < cars.size(); i += processes) {
                    EnrolledDevice d = cars.get(i).device();
                    slice.add(new FleetWorkerMain.Car(d.deviceId(), i, cars.get(i).tenant(), d.key().getAlgorithm(),
                            Base64.getEncoder().encodeToString(d.key().getEncoded()), der(d.certificate()), d.keySetKeys()));
                }
                Path spec = workDir.resolve("fleet-" + (p + 1) + ".json");
                Files.writeString(spec, json.writeValueAsString(new FleetWorkerMain.Spec(setup.tenants(), cas,
                        setup.agentsDir().toString(), setup.parkedSeconds(), setup.batchSize(), setup.seed(),
                        setup.receiptTimeout() == null ? null : setup.receiptTimeout().toMillis(), slice)));
                workers.add(new Worker("fleet-" + (p + 1), spec, heap, workDir.resolve("fleet-" + (p + 1) + ".log")));
            }
            for (Worker w : workers) {
                w.awaitStarted();
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        out.printf("fleet split over %d processes (%s)%n", processes, String.join(", ", workers.stream()
                .map(w -> w.name + " pid " + w.process.pid() + " " + w.started + " cars").toList()));
    }

    private static String der(X509Certificate c) {
        try {
            return Base64.getEncoder().encodeToString(c.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int connected() {
        return workers.stream().mapToInt(w -> w.ask("status").path("connected").asInt()).sum();
    }

    @Override
    public long pendingRecords() {
        return workers.stream().mapToLong(w -> w.ask("status").path("pending").asLong()).sum();
    }

    @Override
    public void mark() {
        workers.forEach(w -> w.ask("mark"));
    }

    @Override
    public boolean drainedSinceMark() {
        return workers.stream().allMatch(w -> w.ask("drained").path("drained").asBoolean());
    }

    @Override
    public void drive(double kmh) {
        workers.forEach(w -> w.ask("drive " + kmh));
    }

    @Override
    public Map<String, long[]> journals() {
        Map<String, long[]> all = new LinkedHashMap<>();
        for (Worker w : workers) {
            w.ask("journals").path("journals").fields().forEachRemaining(e ->
                    all.put(e.getKey(), new long[] {e.getValue().get(0).asLong(), e.getValue().get(1).asLong()}));
        }
        return all;
    }

    @Override
    public Map<String, UnlockBreakdown.CarInstants> commandInstants(Path workDir) {
        Map<String, UnlockBreakdown.CarInstants> all = new LinkedHashMap<>();
        for (Worker w : workers) {
            Path file = workDir.resolve(w.name + "-commands.json");
            w.ask("commands " + file);
            try {
                all.putAll(FleetWorkerMain.readCommandInstants(file));
            } catch (IOException e) {
                throw new UncheckedIOException(w.name + ": its command instants not read from " + file, e);
            }
        }
        return all;
    }

    @Override
    public Fleet local() {
        return null;
    }

    @Override
    public Map<String, LongSupplier> processes() {
        Map<String, LongSupplier> pids = new LinkedHashMap<>();
        workers.forEach(w -> pids.put(w.name, () -> w.process.isAlive() ? w.process.pid() : -1));
        return pids;
    }

    @Override
    public void close() {
        for (Worker w : workers) {
            w.close();
        }
    }

    /** One child JVM and its command line. */
    private static final class Worker {
        private final String name;
        private final Process process;
        private final BufferedReader answers;
        private final PrintStream commands;
        private final Path log;
        private int started;

        Worker(String name, Path spec, String heap, Path log) throws IOException {
            this.name = name;
            this.log = log;
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String command = "ulimit -n $(ulimit -Hn); exec '" + java + "' -Xmx" + heap + " -XX:+UseSerialGC -Djdk.tls.namedGroups="
                    + BenchCars.TLS_NAMED_GROUPS + " -cp '"
                    + System.getProperty("java.class.path") + "' " + FleetWorkerMain.class.getName() + " '" + spec + "'";
            process = new ProcessBuilder("bash", "-c", command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, name + "-reaper"));
            answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        }

        void awaitStarted() {
            started = read().path("started").asInt();
        }

        synchronized JsonNode ask(String command) {
            commands.println(command);
            return read();
        }

        private JsonNode read() {
            try {
                String line;
                while ((line = answers.readLine()) != null) {
                    if (line.startsWith("@@ ")) {
                        JsonNode node = Json.mapper().readTree(line.substring(3));
                        if (node.has("error")) {
                            throw new IllegalStateException(name + ": " + node.get("error").asText());
                        }
                        return node;
                    }
                }
                throw new IllegalStateException(name + " exited (see " + log + ")");
            } catch (IOException e) {
                throw new UncheckedIOException(name + " does not answer (see " + log + ")", e);
            }
        }

        void close() {
            try {
                if (process.isAlive()) {
                    commands.println("quit");
                    if (!process.waitFor(60, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                }
            } catch (RuntimeException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
