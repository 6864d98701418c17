package io.latchkey.agent.hardware.socketcan;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.hal.can.CanFrame;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** This kernel has no CAN, so the SocketCAN adapter is tested through its frame conversion. */
class SocketCanFramesTest {
    private static final Instant T = Instant.parse("2026-11-23T17:00:00Z");

    @Test
    void aStandardDataFrame_survivesTheRoundTrip_withTheReceiveTime() {
        CanFrame hal = CanFrame.data(0x318, false, new byte[]{0x18, 0x10, 0, 0, 0, 0, 0, 0}, T);

        tel.schich.javacan.CanFrame kernel = SocketCanFrames.toSocketCan(hal);

        assertThat(kernel.getId()).isEqualTo(0x318);
        assertThat(kernel.isExtended()).isFalse();
        assertThat(SocketCanFrames.toHal(kernel, T)).contains(hal);
    }

    @Test
    void anExtendedFrame_keepsIts29BitId() {
        CanFrame hal = CanFrame.data(0x18DAF110, true, new byte[]{0x02, 0x01, 0x0D}, T);

        tel.schich.javacan.CanFrame kernel = SocketCanFrames.toSocketCan(hal);

        assertThat(kernel.isExtended()).isTrue();
        assertThat(kernel.getId()).isEqualTo(0x18DAF110);
        assertThat(SocketCanFrames.toHal(kernel, T)).contains(hal);
    }

    @Test
    void aRemoteFrame_staysRemote() {
        CanFrame hal = CanFrame.remote(0x7DF, false, 8, T);

        tel.schich.javacan.CanFrame kernel = SocketCanFrames.toSocketCan(hal);

        assertThat(kernel.isRemoteTransmissionRequest()).isTrue();
        assertThat(SocketCanFrames.toHal(kernel, T).orElseThrow().remote()).isTrue();
    }

    @Test
    void errorFramesAndLongFdFrames_areSkipped_notThrown() {
        tel.schich.javacan.CanFrame error = tel.schich.javacan.CanFrame.createRaw(0x2000_0004, (byte) 0, new byte[8], 0, 8);
        tel.schich.javacan.CanFrame fd = tel.schich.javacan.CanFrame.create(0x100, tel.schich.javacan.CanFrame.FD_FLAG_FD_FRAME, new byte[64]);

        assertThat(SocketCanFrames.toHal(error, T)).isEmpty();
        assertThat(SocketCanFrames.toHal(fd, T)).isEmpty();
    }
}
