package io.latchkey.hal.can.candump;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;

/**
 * Reads a {@code candump -l} log one frame at a time. A bad line throws {@link CandumpParseException}
 * from {@link #next()}; calling {@code next()} again carries on with the following line, so that one
 * damaged line costs one frame, not the log. Blank lines are skipped.
 */
public final class CandumpReader implements AutoCloseable {
    private final BufferedReader in;
    private long lineNumber;

    public CandumpReader(Reader in) {
        this.in = in instanceof BufferedReader b ? b : new BufferedReader(in);
    }

    /** The next frame, or null at the end of the log. */
    public CandumpRecord next() throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            lineNumber++;
            if (!line.isBlank()) {
                return CandumpLine.parse(line, lineNumber);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
