package io.latchkey.hal.can.candump;

import io.latchkey.hal.can.CanException;

/** A line of a candump log that is not a frame; carries the line number so that tools can point at it. */
public class CandumpParseException extends CanException {
    private final long lineNumber;

    public CandumpParseException(long lineNumber, String message) {
        super("line " + lineNumber + ": " + message);
        this.lineNumber = lineNumber;
    }

    public long lineNumber() {
        return lineNumber;
    }
}
