package io.latchkey.simulator.car;

/** What the car's GNSS receiver sends. */
public enum GnssCondition {
    /** A 3D fix every cycle. */
    FIX,
    /** Sentences keep coming but say "no fix" (in a tunnel, under a deck). */
    NO_FIX,
    /** Nothing at all (receiver unplugged or dead). */
    SILENT
}
