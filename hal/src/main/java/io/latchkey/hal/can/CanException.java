package io.latchkey.hal.can;

import io.latchkey.hal.HalException;

/** Root of what the CAN side of the HAL throws: a bus that cannot be used, or input that cannot be read. */
public class CanException extends HalException {
    public CanException(String message) {
        super(message);
    }

    public CanException(String message, Throwable cause) {
        super(message, cause);
    }
}
