package io.latchkey.cloud.device;

/** A device's renewal request the device CA turned down; the device keeps its current identity. */
public final class RenewalRefusedException extends RuntimeException {
    public RenewalRefusedException(String message) {
        super(message);
    }
}
