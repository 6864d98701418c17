package io.latchkey.hal.can.candump;

import io.latchkey.hal.can.CanFrame;
import java.io.IOException;

/** Writes frames as a {@code candump -l} log that can-utils' {@code canplayer} replays. */
public final class CandumpWriter {
    private final Appendable out;
    private final String interfaceName;

    public CandumpWriter(Appendable out, String interfaceName) {
        this.out = out;
        this.interfaceName = interfaceName;
    }

    public void write(CanFrame frame) throws IOException {
        out.append(CandumpLine.format(frame, interfaceName)).append('\n');
    }
}
