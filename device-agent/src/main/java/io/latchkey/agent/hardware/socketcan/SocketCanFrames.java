package io.latchkey.agent.hardware.socketcan;

import io.latchkey.hal.can.CanException;
import io.latchkey.hal.can.CanFrame;
import java.time.Instant;
import java.util.Optional;

/**
 * Converts between javacan's frames (the kernel's {@code struct can_frame}) and hal's. Error frames
 * and CAN FD frames longer than 8 bytes have no hal equivalent and are skipped (empty), not thrown:
 * a bus full of error frames must not stop reception.
 */
public final class SocketCanFrames {
    /** The kernel's flag bits in {@code can_id}. */
    static final int EFF_FLAG = 0x8000_0000;
    static final int RTR_FLAG = 0x4000_0000;

    private SocketCanFrames() {
    }

    public static Optional<CanFrame> toHal(tel.schich.javacan.CanFrame frame, Instant received) {
        if (frame.isError() || frame.getDataLength() > CanFrame.MAX_LENGTH) {
            return Optional.empty();
        }
        if (frame.isRemoteTransmissionRequest()) {
            return Optional.of(CanFrame.remote(frame.getId(), frame.isExtended(), frame.getDataLength(), received));
        }
        byte[] data = new byte[frame.getDataLength()];
        frame.getData(data, 0, data.length);
        return Optional.of(CanFrame.data(frame.getId(), frame.isExtended(), data, received));
    }

    public static tel.schich.javacan.CanFrame toSocketCan(CanFrame frame) {
        try {
            if (frame.remote()) {
                int raw = frame.id() | RTR_FLAG | (frame.extended() ? EFF_FLAG : 0);
                // A remote frame carries no data, but its length field says how much it asks for.
                return tel.schich.javacan.CanFrame.createRaw(raw, tel.schich.javacan.CanFrame.FD_NO_FLAGS,
                        new byte[frame.length()], 0, frame.length());
            }
            return frame.extended()
                    ? tel.schich.javacan.CanFrame.createExtended(frame.id(), tel.schich.javacan.CanFrame.FD_NO_FLAGS, frame.data())
                    : tel.schich.javacan.CanFrame.create(frame.id(), tel.schich.javacan.CanFrame.FD_NO_FLAGS, frame.data());
        } catch (IllegalArgumentException e) {
            throw new CanException("cannot convert " + frame + " to a SocketCAN frame: " + e.getMessage(), e);
        }
    }
}
