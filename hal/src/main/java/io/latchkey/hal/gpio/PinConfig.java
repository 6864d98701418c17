package io.latchkey.hal.gpio;

/**
 * One GPIO line: its number on the GPIO chip (BCM numbering on a Pi) and whether "active" (relay
 * energised, contact closed) is a high level.
 */
public record PinConfig(int address, boolean activeHigh) {
    public PinConfig {
        if (address < 0 || address > 511) {
            throw new IllegalArgumentException("GPIO line must be 0..511, got " + address);
        }
    }
}
