package io.latchkey.simulator.rollout;

import io.latchkey.protocol.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes a {@link FleetRollout.Result} as {@code NAME.json} and {@code NAME.md}, and prints it. */
public final class RolloutReport {
    private RolloutReport() {
    }

    public static void write(FleetRollout.Result result, FleetRollout.Options o, Path name, PrintStream out) throws IOException {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("cars", o.cars());
        options.put("waves", o.waves());
        options.put("failureThreshold", o.failureThreshold());
        options.put("badBuilds", o.badBuilds());
        options.put("powerCuts", o.powerCuts());
        options.put("rentals", o.rentals());
        options.put("selfTestTimeout", o.selfTestTimeout().toString());
        options.put("restartDelay", o.restartDelay().toString());
        options.put("deviceTimeout", o.deviceTimeout().toString());
        options.put("seed", o.seed());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("ok", result.ok());
        json.put("options", options);
        json.put("measures", result.measures());
        json.put("checks", result.checks());
        Files.createDirectories(name.toAbsolutePath().getParent());
        Path jsonFile = name.resolveSibling(name.getFileName() + ".json");
        Files.write(jsonFile, Json.write(json));

        StringBuilder md = new StringBuilder("# Rollout over " + o.cars() + " simulated cars\n\n");
        md.append("| option | value |\n|---|---|\n");
        options.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        md.append("\n| measure | value |\n|---|---|\n");
        result.measures().forEach((k, v) -> md.append("| ").append(k).append(" | ").append(String.valueOf(v).replace("|", "/")).append(" |\n"));
        md.append("\n| check | result |\n|---|---|\n");
        result.checks().forEach((k, v) -> md.append("| ").append(k).append(" | ")
                .append(v.isEmpty() ? "held" : "FAILED: " + String.join("; ", v.subList(0, Math.min(5, v.size())))
                        + (v.size() > 5 ? " … (" + v.size() + ")" : "")).append(" |\n"));
        Path mdFile = name.resolveSibling(name.getFileName() + ".md");
        Files.writeString(mdFile, md, StandardCharsets.UTF_8);

        out.println();
        result.measures().forEach((k, v) -> out.printf("%-100s %s%n", k, v));
        out.println();
        result.checks().forEach((k, v) -> {
            out.printf("%-6s %s%n", v.isEmpty() ? "ok" : "FAILED", k);
            List<String> shown = v.subList(0, Math.min(10, v.size()));
            shown.forEach(f -> out.println("         " + f));
            if (v.size() > shown.size()) {
                out.println("         … and " + (v.size() - shown.size()) + " more");
            }
        });
        out.printf("%nreport: %s, %s%n", jsonFile, mdFile);
    }
}
