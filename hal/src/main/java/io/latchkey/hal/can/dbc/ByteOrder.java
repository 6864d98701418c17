package io.latchkey.hal.can.dbc;

/** How a signal's bits are laid out in the payload, as the {@code @0}/{@code @1} of an {@code SG_} line says. */
public enum ByteOrder {
    /** {@code @1}, Intel: the start bit is the least significant bit; bits count up from byte 0 bit 0. */
    LITTLE_ENDIAN,
    /** {@code @0}, Motorola: the start bit is the most significant bit, in Vector's sawtooth numbering. */
    BIG_ENDIAN
}
