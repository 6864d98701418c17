package io.latchkey.simulator.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.protocol.Json;
import io.latchkey.simulator.api.ApiTypes.DeviceDiscovery;
import io.latchkey.simulator.api.DeviceEnrolment.EnrolledDevice;
import io.latchkey.simulator.car.CarFactory;
import io.latchkey.simulator.fleet.FileHandleBudget;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One slice of the benchmark's fleet in a JVM of its own ({@code sim bench --fleet-processes K}): reads its cars
 * from a spec file written by {@link RemoteBenchFleet}, starts their agents, and answers the benchmark's
 * questions on stdin/stdout, one line each way; answers start with {@code @@ } (anything else on stdout is
 * log output). Commands: {@code status}, {@code mark}, {@code drained}, {@code drive KMH}, {@code journals},
 * {@code commands FILE} (every command its cars answered, with their instants, written to the file), {@code quit}.
 */
public final class FleetWorkerMain {
    /** The spec file: the cars' setup and each car's device identity. */
    record Spec(List<BenchCars.TenantAccess> tenants, List<String> brokerCas, String agentsDir, int parkedSeconds,
                int batchSize, long seed, Long receiptTimeoutMillis, List<Car> cars) {
    }

    /**
     * A car: its device id, its index in the whole fleet (the model's seed), its tenant's index in the spec's
     * tenants, its PKCS#8 key, DER certificate and the key-set keys it pins.
     */
    record Car(String deviceId, int index, int tenant, String keyAlgorithm, String key, String certificate,
               List<io.latchkey.simulator.api.ApiTypes.CommandKey> keySetKeys) {
    }

    private FleetWorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream answers = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        ObjectMapper json = Json.mapper();
        Spec spec = json.readValue(Files.readAllBytes(Path.of(args[0])), Spec.class);
        FileHandleBudget.require(spec.cars().size(), false);
        List<X509Certificate> cas = new ArrayList<>();
        for (String ca : spec.brokerCas()) {
            cas.add(certificate(ca));
        }
        BenchCars.Setup setup = new BenchCars.Setup(spec.tenants(), cas, Path.of(spec.agentsDir()),
                spec.parkedSeconds(), spec.batchSize(), spec.seed(),
                spec.receiptTimeoutMillis() == null ? null : java.time.Duration.ofMillis(spec.receiptTimeoutMillis()));
        CarFactory factory = BenchCars.factory(spec.seed());
        try (LocalBenchFleet fleet = new LocalBenchFleet(BenchCars.fleet(spec.seed()))) {
            for (Car car : spec.cars()) {
                PrivateKey key = KeyFactory.getInstance(car.keyAlgorithm())
                        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(car.key())));
                EnrolledDevice device = new EnrolledDevice(car.deviceId(), key, certificate(car.certificate()),
                        car.keySetKeys());
                fleet.local().add(BenchCars.config(setup, new BenchCars.Car(device, car.tenant())),
                        factory.create(car.deviceId(), car.index()));
            }
            answers.println("@@ {\"started\":" + fleet.size() + "}");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                String[] cmd = line.trim().split(" ");
                Map<String, Object> answer = new LinkedHashMap<>();
                switch (cmd[0]) {
                    case "status" -> {
                        answer.put("size", fleet.size());
                        answer.put("connected", fleet.connected());
                        answer.put("pending", fleet.pendingRecords());
                    }
                    case "mark" -> fleet.mark();
                    case "drained" -> answer.put("drained", fleet.drainedSinceMark());
                    case "drive" -> fleet.drive(Double.parseDouble(cmd[1]));
                    case "journals" -> answer.put("journals", fleet.journals());
                    case "commands" -> answer.put("commands", writeCommandInstants(fleet, Path.of(line.trim().substring(9))));
                    case "quit" -> {
                        answers.println("@@ {}");
                        return;
                    }
                    default -> answer.put("error", "unknown command " + cmd[0]);
                }
                answers.println("@@ " + json.writeValueAsString(answer));
            }
        } finally {
            answers.flush();
        }
    }

    /** Writes the instants of every command the cars answered ({@link UnlockBreakdown.CarInstants}); returns how many. */
    static int writeCommandInstants(BenchFleet fleet, Path file) throws java.io.IOException {
        Map<String, UnlockBreakdown.CarInstants> all = fleet.commandInstants(file.getParent());
        Files.write(file, Json.write(all));
        return all.size();
    }

    static Map<String, UnlockBreakdown.CarInstants> readCommandInstants(Path file) throws java.io.IOException {
        return Json.mapper().readValue(Files.readAllBytes(file),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, UnlockBreakdown.CarInstants>>() { });
    }

    static X509Certificate certificate(String base64Der) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64Der)));
    }
}
