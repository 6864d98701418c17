package io.latchkey.hal.gnss.nmea;

import io.latchkey.hal.HalException;

/**
 * A line that is not a usable NMEA 0183 sentence: no {@code $}, a missing or wrong checksum (the usual
 * sign of a truncated or corrupted line), or a field that cannot be read. Receivers on a noisy serial
 * line produce these routinely, so callers count and skip them rather than stop.
 */
public class NmeaParseException extends HalException {
    public NmeaParseException(String message) {
        super(message);
    }
}
