package io.latchkey.hal;

/** Root of everything the HAL throws: hardware that cannot be reached, or data from it that cannot be read. */
public class HalException extends RuntimeException {
    public HalException(String message) {
        super(message);
    }

    public HalException(String message, Throwable cause) {
        super(message, cause);
    }
}
