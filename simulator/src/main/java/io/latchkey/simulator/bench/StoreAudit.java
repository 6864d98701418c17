package io.latchkey.simulator.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Every sequence number the backend's file store holds for one device (repeats included), read from its stream. */
final class StoreAudit {
    private static final Pattern SEQ = Pattern.compile("\"seq\"\\s*:\\s*(\\d+)");

    private StoreAudit() {
    }

    static List<Long> seqs(Path dataDir, String tenant, String deviceId) throws IOException {
        Path file = dataDir.resolve("tenants").resolve(tenant).resolve("streams").resolve("telemetry-" + deviceId + ".jsonl");
        List<Long> seqs = new ArrayList<>();
        if (!Files.exists(file)) {
            return seqs;
        }
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                Matcher m = SEQ.matcher(line);
                if (m.find()) {
                    seqs.add(Long.parseLong(m.group(1)));
                }
            }
        }
        return seqs;
    }
}
