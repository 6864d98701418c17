package io.latchkey.hal.can.dbc;

import io.latchkey.hal.can.CanException;

/** A DBC file that cannot be read, with the line where reading stopped. */
public class DbcParseException extends CanException {
    private final String source;
    private final int lineNumber;

    public DbcParseException(String source, int lineNumber, String message) {
        super(source + ":" + lineNumber + ": " + message);
        this.source = source;
        this.lineNumber = lineNumber;
    }

    public String source() {
        return source;
    }

    public int lineNumber() {
        return lineNumber;
    }
}
