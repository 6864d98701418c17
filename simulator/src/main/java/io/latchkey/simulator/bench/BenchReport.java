package io.latchkey.simulator.bench;

import io.latchkey.protocol.Json;
import io.latchkey.simulator.scenario.ScenarioReport;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Everything {@code sim bench} measured, as JSON and as a readable table. */
public final class BenchReport {
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final Map<String, Map<String, ProcessSampler.Usage>> usage = new LinkedHashMap<>();
    private ScenarioReport faults;

    void put(String key, Object value) {
        results.put(key, value);
    }

    void usage(String phase, Map<String, ProcessSampler.Usage> u) {
        usage.put(phase, u);
    }

    void faults(ScenarioReport report) {
        this.faults = report;
    }

    public String toJson() {
        Map<String, Object> all = new LinkedHashMap<>(results);
        all.put("resources", usage);
        if (faults != null) {
            all.put("faults", faults);
        }
        return new String(Json.write(all), StandardCharsets.UTF_8);
    }

    public void print(PrintStream out) {
        out.println();
        out.println("Latchkey fleet benchmark");
        results.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m) {
                out.println("  " + k);
                m.forEach((mk, mv) -> out.printf("    %-40s %s%n", mk, mv));
            } else {
                out.printf("  %-42s %s%n", k, v);
            }
        });
        out.println("  resources (peak RSS MB / average CPU %, 100% = one core)");
        usage.forEach((phase, u) -> {
            StringBuilder line = new StringBuilder(String.format("    %-22s", phase));
            u.forEach((proc, x) -> line.append(String.format("  %s %6.0f MB %5.0f%%", proc, x.peakRssMb(), x.cpuPercent())));
            out.println(line);
        });
        if (faults != null) {
            faults.print(out);
        }
    }
}
