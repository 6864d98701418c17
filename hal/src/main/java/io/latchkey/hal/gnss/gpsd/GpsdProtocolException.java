package io.latchkey.hal.gnss.gpsd;

import io.latchkey.hal.HalException;

/** A line from gpsd that is not a report we can read; the client logs it and goes on. */
public class GpsdProtocolException extends HalException {
    public GpsdProtocolException(String message) {
        super(message);
    }
}
