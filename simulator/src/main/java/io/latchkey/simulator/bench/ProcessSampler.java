package io.latchkey.simulator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Resident memory and CPU of the benchmark's processes, read from {@code /proc} once a second: per phase,
 * the peak RSS and the average CPU (100% = one core busy). Processes are named by a supplier of their
 * pid, since a restarted broker is a new process.
 */
final class ProcessSampler implements AutoCloseable {
    /** One process over one phase. */
    record Usage(double peakRssMb, double cpuPercent) {
    }

    private static final double TICKS_PER_SECOND = 100.0;

    private final Map<String, LongSupplier> pids = new LinkedHashMap<>();
    private final Map<String, Double> peakRss = new ConcurrentHashMap<>();
    private final Map<String, Long> cpuTicksAtStart = new ConcurrentHashMap<>();
    private final Map<String, Long> cpuTicksCarried = new ConcurrentHashMap<>();
    private final Map<String, Long> lastPid = new ConcurrentHashMap<>();
    private final Map<String, Long> lastTicks = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "process-sampler");
        t.setDaemon(true);
        return t;
    });
    private long phaseStart;

    ProcessSampler(Map<String, LongSupplier> processes) {
        pids.putAll(processes);
        timer.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
    }

    /** One more process to sample from now on (fleet workers start after the backend). */
    synchronized void add(String name, LongSupplier pid) {
        pids.put(name, pid);
    }

    /** Starts a new phase: peaks and CPU counted from now. */
    synchronized void startPhase() {
        sample();
        peakRss.clear();
        cpuTicksCarried.clear();
        pids.keySet().forEach(name -> cpuTicksAtStart.put(name, lastTicks.getOrDefault(name, 0L)));
        phaseStart = System.nanoTime();
        sample();
    }

    synchronized Map<String, Usage> endPhase() {
        sample();
        double seconds = Math.max(0.001, (System.nanoTime() - phaseStart) / 1e9);
        Map<String, Usage> usage = new LinkedHashMap<>();
        for (String name : pids.keySet()) {
            long ticks = lastTicks.getOrDefault(name, 0L) - cpuTicksAtStart.getOrDefault(name, 0L)
                    + cpuTicksCarried.getOrDefault(name, 0L);
            usage.put(name, new Usage(round(peakRss.getOrDefault(name, 0.0)), round(ticks / TICKS_PER_SECOND / seconds * 100)));
        }
        return usage;
    }

    private synchronized void sample() {
        for (Map.Entry<String, LongSupplier> e : pids.entrySet()) {
            long pid = e.getValue().getAsLong();
            if (pid <= 0) {
                continue;
            }
            String name = e.getKey();
            Long previous = lastPid.put(name, pid);
            if (previous != null && previous != pid) {
                // A restarted process: keep what the old one used, count the new one from zero.
                cpuTicksCarried.merge(name, lastTicks.getOrDefault(name, 0L) - cpuTicksAtStart.getOrDefault(name, 0L), Long::sum);
                cpuTicksAtStart.put(name, 0L);
            }
            Long ticks = cpuTicks(pid);
            if (ticks != null) {
                lastTicks.put(name, ticks);
            }
            Double rss = rssMb(pid);
            if (rss != null) {
                peakRss.merge(name, rss, Math::max);
            }
        }
    }

    static Double rssMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return null;
        }
        return null;
    }

    static Long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name (which may contain spaces) start after the last ')'.
            List<String> f = List.of(stat.substring(stat.lastIndexOf(')') + 2).trim().split(" "));
            return Long.parseLong(f.get(11)) + Long.parseLong(f.get(12));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
