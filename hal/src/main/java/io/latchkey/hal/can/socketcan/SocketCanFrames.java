package io.latchkey.hal.can.socketcan;

import io.latchkey.hal.can.CanFrame;
import java.time.Instant;
import tel.schich.javacan.CanId;

/** Converts between our frames and javacan's, which mirror the kernel's {@code struct can_frame}. */
final class SocketCanFrames {
    private SocketCanFrames() {
    }

    static tel.schich.javacan.CanFrame toKernel(CanFrame frame) {
        byte[] data = frame.data();
        int id = frame.id() | (frame.extended() ? CanId.EFF_FLAG : 0) | (frame.remote() ? CanId.RTR_FLAG : 0);
        return tel.schich.javacan.CanFrame.createRaw(id, tel.schich.javacan.CanFrame.FD_NO_FLAGS, data, 0, data.length);
    }

    /**
     * Our frame for a received kernel frame, or null for what this HAL does not model: error frames
     * (the bus state, reported by the controller) and CAN FD frames.
     */
    static CanFrame fromKernel(tel.schich.javacan.CanFrame frame, Instant received) {
        if (frame.isError() || frame.isFDFrame()) {
            return null;
        }
        if (frame.isRemoteTransmissionRequest()) {
            return CanFrame.remote(frame.getId(), frame.isExtended(), Math.min(frame.getDataLength(), CanFrame.MAX_LENGTH), received);
        }
        byte[] data = new byte[frame.getDataLength()];
        frame.getData(data, 0, data.length);
        return CanFrame.data(frame.getId(), frame.isExtended(), data, received);
    }
}
