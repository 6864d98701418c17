package io.latchkey.hal.can;

/** A vehicle profile that cannot be read or does not fit its DBC; the message names the entry. */
public class VehicleProfileException extends CanException {
    public VehicleProfileException(String message) {
        super(message);
    }

    public VehicleProfileException(String message, Throwable cause) {
        super(message, cause);
    }
}
