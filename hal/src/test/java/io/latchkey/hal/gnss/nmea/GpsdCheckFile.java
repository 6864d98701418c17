package io.latchkey.hal.gnss.nmea;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * gpsd's expected output ({@code .chk}) as the oracle for our reports.
 *
 * <p>gpsd emits a TPV after almost every sentence; we emit one report per receiver cycle. The matching
 * rule: every TPV belongs to the cycle of the sentence echoed before it, identified by the UTC time
 * field of the last RMC/GGA/GLL/ZDA echoed so far (timeless sentences such as GSA and VTG keep the
 * current cycle). Consecutive TPVs of the same cycle collapse to the last one, which is gpsd's most
 * complete view of that cycle. TPVs before any time field, or after sentences whose time field is
 * empty, form untimed groups.
 */
final class GpsdCheckFile {
    /** gpsd's regression outputs at this commit are 1024 GPS weeks ahead of the NMEA dates. */
    static final Duration GPSD_WEEK_ROLLOVER = Duration.ofDays(7168);

    record Tpv(int mode, Instant time, Double lat, Double lon, Double altMsl, Double speed, Double track) {
    }

    /** The last TPV of one cycle (null if gpsd reported nothing for it), with the sentences echoed in that cycle. */
    record Group(LocalTime utcTime, Tpv last, List<String> sentences) {
        boolean hasSentence(String typeAndStatus) {
            return sentences.stream().anyMatch(s -> s.contains(typeAndStatus));
        }
    }

    private GpsdCheckFile() {
    }

    static List<Group> read(InputStream chk) {
        ObjectMapper json = new ObjectMapper();
        List<Group> groups = new ArrayList<>();
        List<String> sentences = new ArrayList<>();
        LocalTime cycle = null;
        boolean timedCycle = false;
        String text;
        try {
            text = new String(chk.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> seenInCycle = new LinkedHashSet<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("$")) {
                String[] f = line.substring(1, line.indexOf('*')).split(",", -1);
                String type = f[0].length() == 5 ? f[0].substring(2) : f[0];
                int timeField = switch (type) {
                    case "RMC", "GGA", "ZDA" -> 1;
                    case "GLL" -> 5;
                    default -> -1;
                };
                if (timeField > 0) {
                    String t = timeField < f.length ? f[timeField] : "";
                    LocalTime time = t.isEmpty() ? null : parseTime(t);
                    boolean sameCycle = time != null && timedCycle && time.equals(cycle) && !seenInCycle.contains(type);
                    if (!sameCycle) {
                        sentences = new ArrayList<>();
                        seenInCycle.clear();
                        groups.add(new Group(time, null, sentences));
                    }
                    cycle = time;
                    timedCycle = time != null;
                    seenInCycle.add(type);
                }
                sentences.add(line);
            } else if (line.startsWith("{\"class\":\"TPV\"")) {
                Tpv tpv = tpv(json, line);
                Group previous = groups.isEmpty() ? null : groups.get(groups.size() - 1);
                boolean sameGroup = previous != null && previous.sentences() == sentences;
                if (sameGroup) {
                    groups.set(groups.size() - 1, new Group(previous.utcTime(), tpv, sentences));
                } else {
                    groups.add(new Group(null, tpv, sentences));
                }
            }
        }
        return groups;
    }

    private static LocalTime parseTime(String t) {
        int nanos = t.length() > 7 ? Integer.parseInt((t.substring(7) + "000000000").substring(0, 9)) : 0;
        return LocalTime.of(Integer.parseInt(t.substring(0, 2)), Integer.parseInt(t.substring(2, 4)),
                Integer.parseInt(t.substring(4, 6)), nanos);
    }

    private static Tpv tpv(ObjectMapper json, String line) {
        try {
            JsonNode n = json.readTree(line);
            return new Tpv(n.get("mode").asInt(), n.has("time") ? Instant.parse(n.get("time").asText()) : null,
                    number(n, "lat"), number(n, "lon"), number(n, "altMSL"), number(n, "speed"), number(n, "track"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Double number(JsonNode n, String field) {
        return n.has(field) ? n.get(field).asDouble() : null;
    }
}
