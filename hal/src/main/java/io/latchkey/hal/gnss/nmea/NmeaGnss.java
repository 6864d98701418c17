package io.latchkey.hal.gnss.nmea;

import io.latchkey.hal.Registration;

import io.latchkey.hal.gnss.Gnss;
import io.latchkey.hal.gnss.GnssFix;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A receiver that speaks NMEA 0183: on a serial port (feed {@link #readFrom} the port's input stream on
 * a thread of its own), or the simulator's {@link NmeaWriter} output fed through {@link #acceptLine}.
 * Both paths run the same parser and epoch assembler.
 *
 * <p>Bad lines (checksum, truncation, garbage) are counted and passed to the error listener, never
 * thrown: one corrupt sentence must not stop the position source.
 */
public final class NmeaGnss implements Gnss {
    private final NmeaEpochAssembler assembler = new NmeaEpochAssembler(this::publish);
    private final AtomicReference<GnssFix> latest = new AtomicReference<>();
    private final List<Consumer<GnssFix>> listeners = new CopyOnWriteArrayList<>();
    private final Consumer<NmeaParseException> errorListener;
    private final AtomicLong rejected = new AtomicLong();

    public NmeaGnss() {
        this(e -> { });
    }

    /** @param errorListener told about every rejected line, for logging; keep it short */
    public NmeaGnss(Consumer<NmeaParseException> errorListener) {
        this.errorListener = errorListener;
    }

    /** Takes one line as read from the receiver; comments ({@code #}) and blank lines are skipped. */
    public synchronized void acceptLine(String line) {
        if (NmeaParser.isCommentOrBlank(line)) {
            return;
        }
        NmeaSentence sentence;
        try {
            sentence = NmeaParser.parse(line);
        } catch (NmeaParseException e) {
            rejected.incrementAndGet();
            errorListener.accept(e);
            return;
        }
        assembler.accept(sentence);
    }

    /** Reads lines until the end of the stream, then reports the last cycle. Blocks; IO errors propagate. */
    public void readFrom(InputStream in) throws IOException {
        NmeaLineReader reader = new NmeaLineReader(new BufferedInputStream(in));
        String line;
        while ((line = reader.readLine()) != null) {
            acceptLine(line);
        }
        flush();
    }

    /** Reports the cycle in progress now rather than when the next one starts. */
    public synchronized void flush() {
        assembler.flush();
    }

    /** Lines rejected so far. */
    public long rejectedLines() {
        return rejected.get();
    }

    @Override
    public Optional<GnssFix> latest() {
        return Optional.ofNullable(latest.get());
    }

    @Override
    public Registration addListener(Consumer<GnssFix> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void publish(NmeaEpoch epoch) {
        latest.set(epoch.fix());
        listeners.forEach(l -> l.accept(epoch.fix()));
    }
}
