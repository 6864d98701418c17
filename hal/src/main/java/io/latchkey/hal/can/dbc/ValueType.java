package io.latchkey.hal.can.dbc;

/** How raw bits become a number ({@code SIG_VALTYPE_}); integers unless the DBC says otherwise. */
public enum ValueType {
    INTEGER,
    /** IEEE 754 single precision in a 32-bit signal. */
    FLOAT32,
    /** IEEE 754 double precision in a 64-bit signal. */
    FLOAT64
}
