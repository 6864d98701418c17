package io.latchkey.hal.can.candump;

import io.latchkey.hal.can.CanFrame;
import io.latchkey.hal.can.SimulatedCanBus;
import java.io.IOException;
import java.io.Reader;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Plays a recorded {@code candump -l} log onto a {@link SimulatedCanBus}, so that the agent's decoders
 * run on a real car's traffic. Frames keep their recorded timestamps; the gaps between them are waited
 * out through an injected {@link Pause} (no pause at all for tests, real sleeping for a demo), scaled by
 * {@code speed}. Bad lines are passed to the error handler and skipped.
 */
public final class CandumpReplay {
    /** Waits between frames; injected so that tests and fast-forward replays need not sleep. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration duration) throws InterruptedException;

        Pause NONE = d -> { };
        Pause SLEEP = d -> Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
    }

    private final SimulatedCanBus bus;
    private final Pause pause;
    private final double speed;
    private final Consumer<CandumpParseException> errors;

    /**
     * @param speed 1 for real time, 2 for twice as fast; ignored with {@link Pause#NONE}
     */
    public CandumpReplay(SimulatedCanBus bus, Pause pause, double speed, Consumer<CandumpParseException> errors) {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("speed must be positive");
        }
        this.bus = bus;
        this.pause = pause;
        this.speed = speed;
        this.errors = errors;
    }

    /** Replays the whole log; returns the number of frames injected. */
    public long replay(Reader log) throws IOException, InterruptedException {
        long count = 0;
        CanFrame previous = null;
        try (CandumpReader reader = new CandumpReader(log)) {
            while (true) {
                CandumpRecord record;
                try {
                    record = reader.next();
                } catch (CandumpParseException e) {
                    errors.accept(e);
                    continue;
                }
                if (record == null) {
                    return count;
                }
                CanFrame frame = record.frame();
                if (previous != null) {
                    Duration gap = Duration.between(previous.timestamp(), frame.timestamp());
                    if (!gap.isNegative() && !gap.isZero()) {
                        pause.pause(Duration.ofNanos((long) (gap.toNanos() / speed)));
                    }
                }
                bus.inject(frame);
                previous = frame;
                count++;
            }
        }
    }
}
