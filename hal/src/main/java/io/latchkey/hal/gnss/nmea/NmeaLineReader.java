package io.latchkey.hal.gnss.nmea;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a receiver's byte stream into lines. Accepts LF, CRLF and mixes of both (gpsd's captures have
 * all of them). Bytes are read as ISO-8859-1 so that garbage never fails to decode; the parser then
 * rejects it. A "line" that never ends (a receiver at the wrong baud rate) is cut to its last
 * {@value #MAX_LINE} characters, which still holds any sentence at its end.
 */
public final class NmeaLineReader {
    static final int MAX_LINE = 4096;

    private final InputStream in;
    private final StringBuilder line = new StringBuilder(128);
    private long lineNumber;

    /** The stream should be buffered; a serial port's stream usually is. */
    public NmeaLineReader(InputStream in) {
        this.in = in;
    }

    /** The next line without its CR/LF, or null at the end of the stream. */
    public String readLine() throws IOException {
        line.setLength(0);
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                return finishLine();
            }
            if (line.length() == MAX_LINE) {
                line.delete(0, MAX_LINE / 2);
            }
            line.append((char) b);
        }
        return line.length() > 0 ? finishLine() : null;
    }

    /** The number of the line last returned, from 1. */
    public long lineNumber() {
        return lineNumber;
    }

    private String finishLine() {
        lineNumber++;
        int end = line.length();
        while (end > 0 && line.charAt(end - 1) == '\r') {
            end--;
        }
        return line.substring(0, end);
    }
}
