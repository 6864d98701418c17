package io.latchkey.hal.can.dbc;

import io.latchkey.hal.can.CanFrame;

/** What {@link DbcDecoder} made of a frame: its signals, or why it could not be decoded. */
public sealed interface DecodeResult permits DecodedMessage, DecodeResult.Rejected {
    CanFrame frame();

    /** Why a frame was not decoded. On a real bus most ids are not in the DBC: this is not an error. */
    enum Reason {
        UNKNOWN_ID,
        /** The frame's length differs from the DBC's; decoding it could read bits that are not there. */
        WRONG_LENGTH,
        /** A remote (RTR) frame carries no data. */
        REMOTE_FRAME
    }

    /**
     * @param message the DBC message for this id, null when the id is unknown
     */
    record Rejected(CanFrame frame, Reason reason, DbcMessage message) implements DecodeResult {
        public String describe() {
            String id = frame.extended() ? String.format("0x%08X", frame.id()) : String.format("0x%03X", frame.id());
            return switch (reason) {
                case UNKNOWN_ID -> "id " + id + " is not in the DBC";
                case WRONG_LENGTH -> "id " + id + " (" + message.name() + ") has " + frame.length()
                        + " bytes, the DBC says " + message.size();
                case REMOTE_FRAME -> "id " + id + " is a remote frame, it carries no data";
            };
        }
    }
}
