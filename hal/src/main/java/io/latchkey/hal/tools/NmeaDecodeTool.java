package io.latchkey.hal.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.hal.gnss.GnssFix;
import io.latchkey.hal.gnss.nmea.NmeaEpoch;
import io.latchkey.hal.gnss.nmea.NmeaEpochAssembler;
import io.latchkey.hal.gnss.nmea.NmeaLineReader;
import io.latchkey.hal.gnss.nmea.NmeaParseException;
import io.latchkey.hal.gnss.nmea.NmeaParser;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * {@code decode nmea FILE|-}: one gpsd-style TPV object per line for each receiver cycle, so that the
 * output compares with gpsd's ({@code class}, {@code mode}, {@code time} ISO-8601 UTC, {@code lat},
 * {@code lon}, {@code alt} metres MSL, {@code track} degrees, {@code speed} m/s; absent fields are left
 * out, and numbers carry gpsd's decimals). Bad lines go to standard error with their line number.
 * Exit 0 when the input was read, 1 when it could not be, 2 for a usage error.
 */
public final class NmeaDecodeTool {
    static final String USAGE = "usage: decode nmea FILE|-";
    private static final DateTimeFormatter GPSD_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private NmeaDecodeTool() {
    }

    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        if (args.length == 1 && (args[0].equals("-h") || args[0].equals("--help"))) {
            out.println(USAGE);
            return 0;
        }
        if (args.length != 1) {
            err.println(USAGE);
            return 2;
        }
        NmeaEpochAssembler assembler = new NmeaEpochAssembler(epoch -> out.println(ToolJson.line(tpv(epoch))));
        try (InputStream input = ToolInput.open(args[0], in)) {
            NmeaLineReader reader = new NmeaLineReader(new BufferedInputStream(input));
            String line;
            while ((line = reader.readLine()) != null) {
                if (NmeaParser.isCommentOrBlank(line)) {
                    continue;
                }
                try {
                    assembler.accept(NmeaParser.parse(line));
                } catch (NmeaParseException e) {
                    err.println(args[0] + ":" + reader.lineNumber() + ": " + e.getMessage());
                }
            }
            assembler.flush();
        } catch (IOException e) {
            err.println(args[0] + ": " + e);
            return 1;
        }
        out.flush();
        return 0;
    }

    static ObjectNode tpv(NmeaEpoch epoch) {
        GnssFix fix = epoch.fix();
        ObjectNode o = ToolJson.object().put("class", "TPV").put("mode", fix.mode());
        if (fix.time() != null) {
            o.put("time", GPSD_TIME.format(fix.time()));
        }
        if (fix.lat() != null) {
            o.put("lat", ToolJson.fixed(fix.lat(), 9)).put("lon", ToolJson.fixed(fix.lon(), 9));
        }
        if (fix.altMsl() != null) {
            o.put("alt", ToolJson.fixed(fix.altMsl(), 3));
        }
        if (fix.trackDeg() != null) {
            o.put("track", ToolJson.fixed(fix.trackDeg(), 4));
        }
        if (fix.speedMps() != null) {
            o.put("speed", ToolJson.fixed(fix.speedMps(), 3));
        }
        return o;
    }
}
