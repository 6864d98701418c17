package io.latchkey.hal.can.obd;

import io.latchkey.hal.can.CanFrame;

/**
 * Mode 01 over ISO 15765-4 with 11-bit ids: requests go to the functional address 0x7DF, ECUs answer
 * from 0x7E8-0x7EF. Every PID used here fits in a single frame (PCI byte 0x0L, L the payload length);
 * frames are padded to 8 bytes, as the standard requires.
 */
public final class ObdFrames {
    public static final int FUNCTIONAL_REQUEST_ID = 0x7DF;
    public static final int FIRST_RESPONSE_ID = 0x7E8;
    public static final int LAST_RESPONSE_ID = 0x7EF;
    static final int MODE_CURRENT_DATA = 0x01;
    static final int POSITIVE_RESPONSE = 0x40;
    private static final int PADDING = 0x00;

    private ObdFrames() {
    }

    /** A mode 01 request for one PID. */
    public static CanFrame request(int pid) {
        return CanFrame.standard(FUNCTIONAL_REQUEST_ID, 0x02, MODE_CURRENT_DATA, pid, PADDING, PADDING, PADDING, PADDING, PADDING);
    }

    /** A positive single-frame response from the ECU at {@code responseId}. */
    public static CanFrame response(int responseId, int pid, byte[] data) {
        if (data.length > 5) {
            throw new IllegalArgumentException("single-frame mode 01 responses carry at most 5 data bytes");
        }
        int[] bytes = new int[8];
        bytes[0] = 2 + data.length;
        bytes[1] = MODE_CURRENT_DATA | POSITIVE_RESPONSE;
        bytes[2] = pid;
        for (int i = 0; i < data.length; i++) {
            bytes[3 + i] = data[i] & 0xFF;
        }
        return CanFrame.standard(responseId, bytes);
    }

    /** The PID a request frame asks for, or -1 if the frame is not a single-frame mode 01 request. */
    public static int requestedPid(CanFrame frame) {
        if (frame.extended() || frame.id() != FUNCTIONAL_REQUEST_ID || frame.length() < 3 || frame.dataByte(0) != 0x02
                || frame.dataByte(1) != MODE_CURRENT_DATA) {
            return -1;
        }
        return frame.dataByte(2);
    }

    /** Whether a frame comes from an ECU's response address. */
    public static boolean isResponse(CanFrame frame) {
        return !frame.extended() && frame.id() >= FIRST_RESPONSE_ID && frame.id() <= LAST_RESPONSE_ID;
    }
}
