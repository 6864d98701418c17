package io.latchkey.hal.gnss.nmea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.hal.gnss.GnssFix;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
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
 *
 * <p>Where we deliberately differ from gpsd, each case is named below and checked to be that case:
 * <ol>
 * <li><b>No fix while RMC says V.</b> myguide-3100 at 10:50:27.8 and 10:50:28.8: the GGA has an empty
 * quality field and gpsd reports a 2D fix; the RMC of the same cycle says V and the GSA says "no fix",
 * so we report mode 1 without a position.</li>
 * <li><b>No speed from position differences.</b> bt451 at 14:33:06.00 has no RMC or VTG; gpsd derives a
 * speed from the distance to the previous fix (of a different capture). We report no speed.</li>
 * <li><b>Date from the cycle's own ZDA.</b> bt451 at 14:33:06.00 comes after 15:25:08.50 (two captures
 * joined); gpsd assumes midnight passed and adds a day, while the ZDA of that cycle says 2009-12-09,
 * which we report.</li>
 * <li><b>Time in more reports.</b> Where gpsd's last TPV of a cycle has no time (it holds the time back
 * until the cycle's date is confirmed, or until a fix), we report one whenever the cycle or an earlier
 * one gave a date; time is compared only where gpsd has one.</li>
 * <li><b>Speed and track in more reports.</b> Where gpsd's last TPV came before the cycle's RMC (myguide
 * at 10:50:29.8), we have the RMC's speed and track; they are compared only where gpsd has them.</li>
 * <li><b>Cycles gpsd never reported.</b> bt451 at 15:25:08.50 and 14:33:08.50 are cut short (captures
 * spliced, end of file) before the sentence gpsd waits for to close a cycle; we report them when the
 * next cycle or the end of input arrives.</li>
 * </ol>
 */
public final class GpsdCheckFile {
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

    /** How precisely our numbers are known: from the decoder, or as printed with gpsd's decimals. */
    public enum Precision {
        EXACT(0.0005 + 1e-9, 0.00005 + 1e-9), PRINTED(0.0011, 0.00011);

        final double speed;
        final double track;

        Precision(double speed, double track) {
            this.speed = speed;
            this.track = track;
        }
    }

    /** Asserts that our reports for a capture match gpsd's .chk under the rules above. */
    public static void assertMatches(String capture, List<NmeaEpoch> ours, Precision precision) {
        List<Group> gpsd;
        try (InputStream chk = NmeaCapturesTest.resource(capture + ".log.chk")) {
            gpsd = read(chk);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<NmeaEpoch> oursTimed = collapse(ours);
        List<Group> gpsdTimed = gpsd.stream().filter(g -> g.utcTime() != null).toList();
        List<Group> gpsdUntimed = gpsd.stream().filter(g -> g.utcTime() == null && g.last() != null).toList();

        assertThat(oursTimed.stream().map(NmeaEpoch::utcTime).toList())
                .as("cycles").containsExactlyElementsOf(gpsdTimed.stream().map(Group::utcTime).toList());
        for (int i = 0; i < gpsdTimed.size(); i++) {
            compare(capture, oursTimed.get(i), gpsdTimed.get(i), precision);
        }
        assertThat(ours).filteredOn(e -> e.utcTime() == null).allMatch(e -> e.fix().mode() == GnssFix.MODE_NO_FIX);
        assertThat(gpsdUntimed).allMatch(g -> g.last().mode() == GnssFix.MODE_NO_FIX || g.sentences().stream().anyMatch(s -> s.startsWith("$GPGLL")));
    }

    private static void compare(String capture, NmeaEpoch ours, Group gpsd, Precision precision) {
        String where = capture + " " + ours.utcTime();
        GnssFix fix = ours.fix();
        Tpv expected = gpsd.last();
        if (expected == null) {
            // Difference 6: gpsd never reported this cycle (its cycle-ending sentence never came: the
            // capture was cut or spliced); we report it when the next cycle or the end of input comes.
            assertThat(gpsd.sentences()).as(where).anyMatch(s -> s.contains("RMC,") || s.contains("GGA,"));
            return;
        }
        if (fix.mode() == GnssFix.MODE_NO_FIX && expected.mode() > GnssFix.MODE_NO_FIX) {
            // Difference 1: the receiver itself said "no fix" in this cycle.
            assertThat(gpsd.hasSentence("RMC," + ours.utcTime().toString().replace(":", "").substring(0, 6)))
                    .as(where).isTrue();
            assertThat(gpsd.sentences()).as(where).anyMatch(s -> s.contains("RMC,") && s.split(",")[2].equals("V"));
            assertThat(fix.lat()).as(where).isNull();
            return;
        }
        assertThat(fix.mode()).as(where + " mode").isEqualTo(expected.mode());
        if (expected.mode() >= GnssFix.MODE_2D) {
            assertThat(fix.lat()).as(where + " lat").isCloseTo(expected.lat(), within(1e-6));
            assertThat(fix.lon()).as(where + " lon").isCloseTo(expected.lon(), within(1e-6));
        } else {
            assertThat(fix.lat()).as(where + " lat").isNull();
        }
        if (expected.mode() == GnssFix.MODE_3D) {
            assertThat(fix.altMsl()).as(where + " alt").isCloseTo(expected.altMsl(), within(0.0005));
        }
        if (expected.speed() != null && fix.speedMps() == null) {
            // Difference 2: gpsd's speed came from position differences.
            assertThat(gpsd.sentences()).as(where).noneMatch(s -> s.contains("RMC,") || s.contains("VTG,"));
        } else if (expected.speed() != null) {
            assertThat(fix.speedMps()).as(where + " speed").isCloseTo(expected.speed(), within(precision.speed));
        }
        if (expected.track() != null) {
            assertThat(fix.trackDeg()).as(where + " track").isCloseTo(expected.track(), within(precision.track));
        }
        if (expected.time() != null) {
            Instant shifted = expected.time().minus(GPSD_WEEK_ROLLOVER);
            if (!shifted.equals(fix.time())) {
                // Difference 3: gpsd added a day; the cycle's own ZDA has the date we report.
                LocalDate ours2 = fix.time().atZone(ZoneOffset.UTC).toLocalDate();
                assertThat(shifted.minus(java.time.Duration.ofDays(1))).as(where + " time").isEqualTo(fix.time());
                String zdaDate = String.format("%02d,%02d,%04d", ours2.getDayOfMonth(), ours2.getMonthValue(), ours2.getYear());
                assertThat(gpsd.sentences()).as(where).anyMatch(s -> s.contains("ZDA,") && s.contains(zdaDate));
            }
        }
    }

    /** Consecutive reports of the same timed cycle collapse to the last, as gpsd's TPVs do. */
    private static List<NmeaEpoch> collapse(List<NmeaEpoch> epochs) {
        List<NmeaEpoch> out = new ArrayList<>();
        for (NmeaEpoch e : epochs) {
            if (e.utcTime() == null) {
                continue;
            }
            if (!out.isEmpty() && Objects.equals(out.get(out.size() - 1).utcTime(), e.utcTime())) {
                out.set(out.size() - 1, e);
            } else {
                out.add(e);
            }
        }
        return out;
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
