package io.latchkey.hal.tools;

import io.latchkey.hal.can.CanFrame;
import io.latchkey.hal.can.dbc.DbcDatabase;
import io.latchkey.hal.can.dbc.DbcDecoder;
import io.latchkey.hal.can.dbc.DbcMessage;
import io.latchkey.hal.can.dbc.DecodeResult;
import io.latchkey.hal.can.dbc.DecodedMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Single-thread DBC decode throughput, without JMH: decodes a fixed set of random frames of every
 * message of a bundled DBC for a few seconds after a warm-up, touching every decoded value, and prints
 * frames per second. Run:
 * {@code java -cp hal/target/classes io.latchkey.hal.tools.CanDecodeBench [tesla_can.dbc] [seconds]} (pin to
 * one core with {@code taskset -c 0}).
 */
public final class CanDecodeBench {
    private CanDecodeBench() {
    }

    public static void main(String[] args) throws IOException {
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) throws IOException {
        String dbcName = args.length > 0 ? args[0] : "tesla_can.dbc";
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        DbcDatabase db;
        try (InputStream in = CanDecodeBench.class.getResourceAsStream("/dbc/" + dbcName)) {
            if (in == null) {
                out.println("no bundled DBC " + dbcName);
                return 2;
            }
            db = DbcDatabase.load(in, dbcName);
        }
        DbcDecoder decoder = new DbcDecoder(db);
        CanFrame[] frames = frames(db, 4096, new Random(42));
        decodeFor(decoder, frames, 2.0); // warm-up: let the JIT compile the decode path
        Result result = decodeFor(decoder, frames, seconds);
        int signals = db.messages().stream().mapToInt(m -> m.signals().size()).sum();
        out.printf("%s: %d messages, %d signals; %,d frames in %.2f s on one thread: %,.0f frames/s (checksum %.3e)%n",
                dbcName, db.messages().size(), signals, result.frames, result.seconds, result.frames / result.seconds,
                result.checksum);
        return 0;
    }

    private record Result(long frames, double seconds, double checksum) {
    }

    private static Result decodeFor(DbcDecoder decoder, CanFrame[] frames, double seconds) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        long count = 0;
        double checksum = 0;
        while (System.nanoTime() < deadline) {
            for (CanFrame frame : frames) {
                DecodeResult r = decoder.decode(frame);
                if (r instanceof DecodedMessage m) {
                    for (int i = 0, n = m.message().signals().size(); i < n; i++) {
                        if (m.isPresent(i)) {
                            checksum += m.value(i);
                        }
                    }
                }
            }
            count += frames.length;
        }
        return new Result(count, (System.nanoTime() - start) / 1e9, checksum);
    }

    private static CanFrame[] frames(DbcDatabase db, int count, Random random) {
        List<DbcMessage> messages = db.messages();
        List<CanFrame> frames = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            DbcMessage m = messages.get(random.nextInt(messages.size()));
            byte[] data = new byte[m.size()];
            random.nextBytes(data);
            frames.add(CanFrame.data(m.id(), m.extended(), data, null));
        }
        return frames.toArray(CanFrame[]::new);
    }
}
