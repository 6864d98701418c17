package io.latchkey.cloud.store.azure;

import com.azure.storage.blob.BlobContainerClient;
import io.latchkey.cloud.store.StoreJson;
import io.latchkey.cloud.store.TenantStore;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.telemetry.*;
import java.lang.management.ManagementFactory;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.*;
import java.util.concurrent.*;

/**
 * Not a test: what each piece of a telemetry batch's ingestion costs in CPU on the Azure path, measured as this
 * process's CPU time per batch (so a machine loaded by others slows it down but hardly inflates it), 8 threads, 6 rounds
 * (the first ones warm the JIT up). Needs an Azurite on 127.0.0.1:PORT (docs/benchmarks-scale.md, "Ingestion: what a
 * batch costs", has the commands); uses only public API that main has too, so it runs against main's jars as well.
 *
 * <pre>java -cp cloud-api/target/test-classes:cloud-api/target/classes:cloud-api/target/lib/* \
 *     io.latchkey.cloud.store.azure.IngestionPathCost PORT BATCHES</pre>
 */
public final class IngestionPathCost {
    static final com.sun.management.OperatingSystemMXBean OS = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    static final int THREADS = 8;

    public static void main(String[] a) throws Exception {
        String cs = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:" + a[0] + "/devstoreaccount1;";
        int n = Integer.parseInt(a[1]);
        BlobContainerClient c = new AzureBlobClients().container(cs, "b" + System.nanoTime());
        TenantStore store = new AzureBlobTenantStore(c, 4L * 1024 * 1024, Duration.ofSeconds(30));
        var kpg = KeyPairGenerator.getInstance("Ed25519");
        ReceiptSigner signer = new ReceiptSigner(kpg.generateKeyPair().getPrivate(), "cmd-1");
        byte[] doc = new byte[600];
        Arrays.fill(doc, (byte) 'x'); doc[0] = '"'; doc[doc.length - 1] = '"';
        for (int round = 0; round < 6; round++) {
            long[] seqBase = {round * 1_000_000L};
            Map<String, Double> cpu = new LinkedHashMap<>();
            byte[] wire = payload(1 + seqBase[0]);
            cpu.put("parse batch (Json.read)", run(n, t -> Json.read(wire, TelemetryBatch.class)));
            TelemetryBatch batch = Json.read(wire, TelemetryBatch.class);
            cpu.put("JSON lines (StoreJson.write x50)", run(n, t -> { for (TelemetryRecord r : batch.records()) StoreJson.write(r); }));
            cpu.put("receipt (sign + JSON)", run(n, t -> Json.write(signer.sign(new TelemetryReceipt("acme", "dev-" + t, 1, 50, List.of())))));
            List<byte[]> lines = new ArrayList<>();
            for (TelemetryRecord r : batch.records()) lines.add(StoreJson.write(r));
            String[] pos = new String[THREADS];
            String[] v1 = new String[THREADS], v2 = new String[THREADS];
            for (int t = 0; t < THREADS; t++) {
                pos[t] = store.end("telemetry-r" + round + "-" + t).position();
                v1[t] = store.create("cars", "car-r" + round + "-" + t, doc);
                v2[t] = store.create("trips", "trip-r" + round + "-" + t, doc);
            }
            cpu.put("store: append + 2 replaces", run(n, t -> {
                pos[t] = store.appendAllAt("telemetry-r" + seqBase[0] / 1_000_000L + "-" + t, lines, pos[t]).position();
                v1[t] = store.replace("cars", "car-r" + seqBase[0] / 1_000_000L + "-" + t, doc, v1[t]);
                v2[t] = store.replace("trips", "trip-r" + seqBase[0] / 1_000_000L + "-" + t, doc, v2[t]);
            }));
            cpu.put("store: read a document", run(n, t -> store.read("cars", "car-r" + seqBase[0] / 1_000_000L + "-" + t)));
            StringBuilder out = new StringBuilder("round " + round + ":");
            double sum = 0;
            for (var e : cpu.entrySet()) { out.append(String.format("  %s %.3f ms", e.getKey(), e.getValue())); }
            System.out.println(out);
        }
        System.exit(0);
    }

    interface Step { void run(int thread) throws Exception; }

    /** ms of process CPU per batch, n batches spread over THREADS threads. */
    static double run(int n, Step step) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        long cpu0 = OS.getProcessCpuTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int th = t;
            fs.add(pool.submit(() -> { for (int i = 0; i < n / THREADS; i++) step.run(th); return null; }));
        }
        for (Future<?> f : fs) f.get();
        long cpu = OS.getProcessCpuTime() - cpu0;
        pool.shutdown();
        return cpu / 1e6 / (n / THREADS * THREADS);
    }

    static byte[] payload(long first) {
        List<TelemetryRecord> records = new ArrayList<>(50);
        Instant t = Instant.now();
        for (int k = 0; k < 50; k++) {
            Map<String, Double> signals = new TreeMap<>();
            signals.put("Vehicle.Powertrain.FuelSystem.RelativeLevel", 50.0);
            signals.put("Vehicle.LowVoltageBattery.CurrentVoltage", 14.2);
            records.add(new TelemetryRecord(first + 1 + k, t, 52.52, 13.405, 40.0, 12_000.0, LockState.LOCKED, false, true, 3, signals, "PERIODIC"));
        }
        return Json.write(new TelemetryBatch("dev-1", records));
    }
}
