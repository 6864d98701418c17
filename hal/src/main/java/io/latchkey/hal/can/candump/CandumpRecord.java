package io.latchkey.hal.can.candump;

import io.latchkey.hal.can.CanFrame;

/** One frame of a candump log, with the interface it was captured on and where it was in the file. */
public record CandumpRecord(long lineNumber, String interfaceName, CanFrame frame) {
}
