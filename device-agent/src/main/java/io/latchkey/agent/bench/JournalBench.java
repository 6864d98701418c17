package io.latchkey.agent.bench;

import io.latchkey.agent.journal.JournalBatch;
import io.latchkey.agent.journal.JournalSettings;
import io.latchkey.agent.journal.JournalStats;
import io.latchkey.agent.journal.TelemetryJournal;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Journal throughput with the documented fsync policy. Not a test (no timing assertions anywhere):
 * run it and read the numbers.
 *
 * <pre>
 * java -cp 'device-agent/target/device-agent-0.1.0-SNAPSHOT.jar:device-agent/target/lib/*' \
 *      io.latchkey.agent.bench.JournalBench [records=200000] [dir=/tmp] [fsync-ms=1000]
 * </pre>
 *
 * Three runs on a fresh journal each: (1) offline, group commit every {@code fsync-ms} on a timer, as
 * the agent does; (2) online, an fsync before every published batch of 50, as the sink does while
 * connected; (3) replay: reading everything back in batches of 50 and acknowledging. Prints appends/s,
 * bytes per record and the size of 60,480 records (7 days at one per 10 s).
 */
public final class JournalBench {
    private JournalBench() {
    }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        Path base = args.length > 1 ? Path.of(args[1]) : Path.of(System.getProperty("java.io.tmpdir"));
        long fsyncMs = args.length > 2 ? Long.parseLong(args[2]) : 1000;
        JournalSettings settings = new JournalSettings(256L * 1024 * 1024, JournalSettings.DEFAULT_SEGMENT_BYTES,
                Duration.ofMillis(fsyncMs), JournalSettings.DEFAULT_BATCH_SIZE);
        System.out.printf("JournalBench: %d records, dir %s, group commit every %d ms, java %s%n", records, base, fsyncMs,
                System.getProperty("java.version"));
        warmUp(base, settings);
        groupCommit(base, settings, records);
        fsyncPerBatch(base, settings, records);
        replay(base, settings, records);
    }

    private static void warmUp(Path base, JournalSettings settings) throws IOException {
        Path dir = Files.createTempDirectory(base, "journal-bench-");
        try (TelemetryJournal j = TelemetryJournal.open(dir, settings, 0)) {
            for (int i = 1; i <= 50_000; i++) {
                j.append(record(i));
            }
        }
        delete(dir);
    }

    private static void groupCommit(Path base, JournalSettings settings, int records) throws IOException {
        Path dir = Files.createTempDirectory(base, "journal-bench-");
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (TelemetryJournal j = TelemetryJournal.open(dir, settings, 0)) {
            long every = settings.fsyncInterval().toMillis();
            timer.scheduleWithFixedDelay(j::sync, every, every, TimeUnit.MILLISECONDS);
            long t0 = System.nanoTime();
            for (int i = 1; i <= records; i++) {
                j.append(record(i));
            }
            j.sync();
            double s = (System.nanoTime() - t0) / 1e9;
            JournalStats stats = j.stats();
            System.out.printf("offline, group commit:  %,10.0f appends/s  (%d records in %.2f s, final fsync included)%n",
                    records / s, records, s);
            System.out.printf("size: %.1f bytes/record on disk (framing included); 60,480 records = %.2f MiB%n",
                    (double) stats.bytes() / records, stats.bytes() / (double) records * 60_480 / 1024 / 1024);
        } finally {
            timer.shutdownNow();
        }
        delete(dir);
    }

    private static void fsyncPerBatch(Path base, JournalSettings settings, int records) throws IOException {
        Path dir = Files.createTempDirectory(base, "journal-bench-");
        int n = Math.min(records, 50_000);
        try (TelemetryJournal j = TelemetryJournal.open(dir, settings, 0)) {
            long t0 = System.nanoTime();
            for (int i = 1; i <= n; i++) {
                j.append(record(i));
                if (i % settings.batchSize() == 0) {
                    j.syncRecords();
                }
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("online, fsync per batch of %d: %,10.0f appends/s  (%d records, %d fsyncs in %.2f s)%n",
                    settings.batchSize(), n / s, n, n / settings.batchSize(), s);
        }
        delete(dir);
    }

    private static void replay(Path base, JournalSettings settings, int records) throws IOException {
        Path dir = Files.createTempDirectory(base, "journal-bench-");
        try (TelemetryJournal j = TelemetryJournal.open(dir, settings, 0)) {
            for (int i = 1; i <= records; i++) {
                j.append(record(i));
            }
            j.sync();
        }
        long t0 = System.nanoTime();
        long read = 0;
        try (TelemetryJournal j = TelemetryJournal.open(dir, settings, 0)) {
            double open = (System.nanoTime() - t0) / 1e9;
            JournalBatch b;
            while (!(b = j.readBatch(settings.batchSize())).isEmpty()) {
                read += b.records().size();
                j.acknowledge(b);
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("restart + replay:       %,10.0f records/s  (open/recover %.2f s, %d records read in %.2f s)%n",
                    read / s, open, read, s);
        }
        delete(dir);
    }

    static TelemetryRecord record(long seq) {
        Map<String, Double> signals = new TreeMap<>();
        signals.put("Vehicle.Powertrain.FuelSystem.RelativeLevel", 63.0 - seq % 50);
        signals.put("Vehicle.LowVoltageBattery.CurrentVoltage", 12.6);
        return new TelemetryRecord(seq, Instant.parse("2026-11-23T17:00:00Z").plusSeconds(10 * seq),
                52.520008 + seq * 1e-6, 13.404954 - seq * 1e-6, 0.0, 12034.5 + seq * 0.01,
                LockState.LOCKED, false, false, 3, signals, "PERIODIC");
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
