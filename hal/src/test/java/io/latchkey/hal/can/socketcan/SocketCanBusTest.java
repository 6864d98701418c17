package io.latchkey.hal.can.socketcan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.hal.can.CanException;
import io.latchkey.hal.can.CanFrame;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** This machine's kernel has no CAN, so the bus is tested through its frame handling and its failure. */
class SocketCanBusTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void frames_roundTripThroughTheKernelLayout() {
        for (CanFrame frame : new CanFrame[]{CanFrame.standard(0x4F0, 0x40, 0x64, 0x01, 0, 0, 0x2C, 0xAC, 0x09).withTimestamp(T),
                CanFrame.data(0x1F334455, true, new byte[]{0x11, 0x22}, T), CanFrame.remote(0x7DF, false, 3, T),
                CanFrame.data(0x123, false, new byte[0], T)}) {
            tel.schich.javacan.CanFrame kernel = SocketCanFrames.toKernel(frame);
            assertThat(kernel.isExtended()).isEqualTo(frame.extended());
            assertThat(kernel.isRemoteTransmissionRequest()).isEqualTo(frame.remote());
            assertThat(SocketCanFrames.fromKernel(kernel, T)).isEqualTo(frame);
        }
    }

    @Test
    void errorFrames_areDropped() {
        tel.schich.javacan.CanFrame error = tel.schich.javacan.CanFrame.createRaw(tel.schich.javacan.CanId.ERR_FLAG | 0x004,
                tel.schich.javacan.CanFrame.FD_NO_FLAGS, new byte[8], 0, 8);
        assertThat(SocketCanFrames.fromKernel(error, T)).isNull();
    }

    @Test
    void open_withoutSuchInterface_isACanException() {
        assertThatThrownBy(() -> SocketCanBus.open("latchkey-no-such-can0", Clock.systemUTC()))
                .isInstanceOf(CanException.class).hasMessageContaining("latchkey-no-such-can0");
    }
}
