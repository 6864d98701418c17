package io.latchkey.cloud.store;

import io.latchkey.cloud.telemetry.TelemetryStore;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Telemetry ingestion throughput of the file store, without broker or HTTP: {@code threads} threads,
 * each owning the devices the router's stripe hash gives it, call {@link TelemetryStore#appendNew} with
 * batches of {@code batch} records, as {@code TelemetryIngestor} does for one MQTT message. Not a test:
 * a number to compare before and after a change, on the machine at hand.
 *
 * <pre>
 * mvn -o -q -pl cloud-api package -DskipTests      # target/classes and target/lib
 * mvn -o -q -pl cloud-api test-compile             # target/test-classes
 * java -cp "cloud-api/target/test-classes:cloud-api/target/classes:cloud-api/target/lib/*" \
 *      io.latchkey.cloud.store.StoreIngestBenchmark --threads 4,16 --batch 50,1 --seconds 10
 * </pre>
 *
 * Options: {@code --threads} (default 4, the router's stripes), {@code --devices} (1000), {@code --batch}
 * (50,1), {@code --seconds} measured per run (10, after 2 s of warm-up), {@code --dir} (a new directory
 * under the system temp dir, deleted afterwards; give one on the disk you want to measure).
 */
public final class StoreIngestBenchmark {
    private static final String TENANT = "bench";
    private static final Instant START = Instant.parse("2025-05-01T10:00:00Z");

    private StoreIngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        List<Integer> threadCounts = ints(options.getOrDefault("threads", "4"));
        List<Integer> batches = ints(options.getOrDefault("batch", "50,1"));
        int devices = Integer.parseInt(options.getOrDefault("devices", "1000"));
        Duration measured = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "10")));
        Path base = options.containsKey("dir") ? Path.of(options.get("dir")) : Path.of(System.getProperty("java.io.tmpdir"));

        System.out.printf("%d devices, %d s per run, store under %s, %d cores%n", devices, measured.toSeconds(), base,
                Runtime.getRuntime().availableProcessors());
        System.out.printf("%7s %6s %14s %14s %10s%n", "threads", "batch", "records/s", "appends/s", "p50 ms");
        for (int batch : batches) {
            for (int threads : threadCounts) {
                Path dir = Files.createTempDirectory(Files.createDirectories(base), "store-bench-");
                try {
                    Result r = run(dir, threads, devices, batch, measured);
                    System.out.printf("%7d %6d %,14.0f %,14.0f %10.2f%n", threads, batch, r.recordsPerSecond(),
                            r.appendsPerSecond(), r.medianMillis());
                } finally {
                    delete(dir);
                }
            }
        }
    }

    record Result(double recordsPerSecond, double appendsPerSecond, double medianMillis) {
    }

    static Result run(Path dir, int threads, int devices, int batch, Duration measured) throws InterruptedException {
        Map<String, TenantStore> tenants = new ConcurrentHashMap<>();
        TelemetryStore telemetry = new TelemetryStore(new Stores() {
            @Override
            public TenantStore platform() {
                throw new UnsupportedOperationException();
            }

            @Override
            public TenantStore tenant(String tenantId) {
                return tenants.computeIfAbsent(tenantId, id -> new FileTenantStore(dir.resolve(id)));
            }
        });
        List<List<String>> owned = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            owned.add(new ArrayList<>());
        }
        for (int d = 1; d <= devices; d++) {
            String device = String.format("dev-%05d", d);
            // the stripe DeviceMessageRouter picks, so one device's batches stay on one thread
            owned.get(Math.floorMod((TENANT + "/" + device).hashCode(), threads)).add(device);
        }

        long warmUpEnds = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        long ends = warmUpEnds + measured.toNanos();
        AtomicLong records = new AtomicLong();
        AtomicLong appends = new AtomicLong();
        long[][] latencies = new long[threads][];
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            int n = t;
            Thread thread = new Thread(() -> {
                try {
                    latencies[n] = drive(telemetry, owned.get(n), batch, warmUpEnds, ends, records, appends);
                } finally {
                    done.countDown();
                }
            }, "bench-stripe-" + t);
            thread.start();
        }
        done.await();
        double seconds = measured.toNanos() / 1e9;
        long[] all = Stream.of(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        double median = all.length == 0 ? Double.NaN : all[all.length / 2] / 1e6;
        return new Result(records.get() / seconds, appends.get() / seconds, median);
    }

    /** One stripe: its devices in turn, one batch each; returns the measured calls' durations (ns). */
    private static long[] drive(TelemetryStore telemetry, List<String> devices, int batch, long warmUpEnds, long ends,
                                AtomicLong records, AtomicLong appends) {
        long[] nextSeq = new long[devices.size()];
        Arrays.fill(nextSeq, 1);
        long[] durations = new long[1 << 16];
        int count = 0;
        for (int i = 0; ; i = (i + 1) % devices.size()) {
            long started = System.nanoTime();
            if (started >= ends || devices.isEmpty()) {
                return Arrays.copyOf(durations, Math.min(count, durations.length));
            }
            List<TelemetryRecord> batchRecords = new ArrayList<>(batch);
            for (int k = 0; k < batch; k++) {
                batchRecords.add(record(nextSeq[i]++));
            }
            int stored = telemetry.appendNew(TENANT, devices.get(i), batchRecords).size();
            long finished = System.nanoTime();
            if (started >= warmUpEnds) {
                records.addAndGet(stored);
                appends.incrementAndGet();
                durations[count++ % durations.length] = finished - started;
            }
        }
    }

    /** 373 bytes as JSON, a little more than a simulated car's record (a 50-record batch is ~14 kB on the wire). */
    private static TelemetryRecord record(long seq) {
        return new TelemetryRecord(seq, START.plusSeconds(seq), 52.520008 + seq * 1e-6, 13.404954, 42.5, 18234.7,
                LockState.LOCKED, false, true, 3,
                Map.of("Vehicle.Powertrain.TractionBattery.StateOfCharge.Current", 81.5,
                        "Vehicle.LowVoltageBattery.CurrentVoltage", 12.6,
                        "Vehicle.Cabin.HVAC.AmbientAirTemperature", 19.0),
                "PERIODIC");
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new ConcurrentHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + String.join(" ", args));
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private static List<Integer> ints(String list) {
        return Stream.of(list.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
