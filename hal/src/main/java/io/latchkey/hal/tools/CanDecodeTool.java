package io.latchkey.hal.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.hal.can.CanFrame;
import io.latchkey.hal.can.candump.CandumpParseException;
import io.latchkey.hal.can.candump.CandumpReader;
import io.latchkey.hal.can.candump.CandumpRecord;
import io.latchkey.hal.can.dbc.DbcDatabase;
import io.latchkey.hal.can.dbc.DbcDecoder;
import io.latchkey.hal.can.dbc.DbcParseException;
import io.latchkey.hal.can.dbc.DecodeResult;
import io.latchkey.hal.can.dbc.DecodedMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * {@code decode can --dbc FILE.dbc LOG|-}: decodes a {@code candump -l} log, one JSON object per line
 * per decoded frame: {@code time} (seconds, as in the log), {@code id}, {@code message}, {@code signals}
 * (name to physical value) and {@code labels} (name to value-table text, for signals that have one).
 * Bad lines, unknown ids and frames of the wrong length go to standard error with their line number.
 * Exit 0 when the log was read, 1 when the DBC or the log could not be, 2 for a usage error.
 */
public final class CanDecodeTool {
    static final String USAGE = "usage: decode can --dbc FILE.dbc LOG|-";

    private CanDecodeTool() {
    }

    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        String dbcFile = null;
        String log = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-h") || args[i].equals("--help")) {
                out.println(USAGE);
                return 0;
            } else if (args[i].equals("--dbc") && i + 1 < args.length && dbcFile == null) {
                dbcFile = args[++i];
            } else if (args[i].startsWith("--dbc=") && dbcFile == null) {
                dbcFile = args[i].substring("--dbc=".length());
            } else if (log == null && (!args[i].startsWith("-") || args[i].equals("-"))) {
                log = args[i];
            } else {
                dbcFile = null;
                break;
            }
        }
        if (dbcFile == null || log == null) {
            err.println(USAGE);
            return 2;
        }
        DbcDecoder decoder;
        try {
            decoder = new DbcDecoder(DbcDatabase.load(Path.of(dbcFile)));
        } catch (IOException | DbcParseException e) {
            err.println(e instanceof DbcParseException ? e.getMessage() : dbcFile + ": " + e);
            return 1;
        }
        try (CandumpReader reader = new CandumpReader(new InputStreamReader(ToolInput.open(log, in), StandardCharsets.UTF_8))) {
            decodeAll(reader, decoder, log, out, err);
        } catch (IOException e) {
            err.println(log + ": " + e);
            return 1;
        }
        out.flush();
        return 0;
    }

    private static void decodeAll(CandumpReader reader, DbcDecoder decoder, String log, PrintStream out, PrintStream err)
            throws IOException {
        while (true) {
            CandumpRecord record;
            try {
                record = reader.next();
            } catch (CandumpParseException e) {
                err.println(log + ":" + e.getMessage().replaceFirst("^line ", ""));
                continue;
            }
            if (record == null) {
                return;
            }
            DecodeResult result = decoder.decode(record.frame());
            if (result instanceof DecodedMessage decoded) {
                out.println(ToolJson.line(json(decoded)));
            } else if (result instanceof DecodeResult.Rejected rejected) {
                err.println(log + ":" + record.lineNumber() + ": " + rejected.describe());
            }
        }
    }

    static ObjectNode json(DecodedMessage decoded) {
        CanFrame frame = decoded.frame();
        ObjectNode o = ToolJson.object();
        o.put("time", seconds(frame.timestamp()));
        o.put("id", frame.id());
        o.put("message", decoded.message().name());
        ObjectNode signals = o.putObject("signals");
        for (Map.Entry<String, Double> e : decoded.values().entrySet()) {
            if (Double.isFinite(e.getValue())) {
                signals.put(e.getKey(), ToolJson.clean(e.getValue()));
            } else {
                signals.putNull(e.getKey()); // a float signal holding NaN or infinity: JSON has no such number
            }
        }
        ObjectNode labels = o.putObject("labels");
        decoded.labels().forEach(labels::put);
        return o;
    }

    private static BigDecimal seconds(Instant t) {
        return BigDecimal.valueOf(t.getEpochSecond()).add(BigDecimal.valueOf(t.getNano() / 1000, 6));
    }
}
