package io.latchkey.hal.can.candump;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.hal.can.CanFrame;
import io.latchkey.hal.can.SimulatedCanBus;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CandumpReplayTest {

    @Test
    void replay_injectsFramesWithTheirTimestamps_waitingOutTheGaps_scaled() throws Exception {
        SimulatedCanBus bus = new SimulatedCanBus();
        List<CanFrame> received = new ArrayList<>();
        bus.addListener(received::add);
        List<Duration> pauses = new ArrayList<>();
        List<Long> badLines = new ArrayList<>();
        CandumpReplay replay = new CandumpReplay(bus, pauses::add, 2.0, e -> badLines.add(e.lineNumber()));
        long n = replay.replay(new StringReader("(10.000000) can0 123#01\n(10.500000) can0 124#02\nbad\n(11.500000) can0 125#03\n"));
        assertThat(n).isEqualTo(3);
        assertThat(received).extracting(CanFrame::id).containsExactly(0x123, 0x124, 0x125);
        assertThat(received.get(0).timestamp().getEpochSecond()).isEqualTo(10);
        assertThat(pauses).containsExactly(Duration.ofMillis(250), Duration.ofMillis(500));
        assertThat(badLines).containsExactly(3L);
    }
}
