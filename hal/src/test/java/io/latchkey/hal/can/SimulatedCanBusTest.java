package io.latchkey.hal.can;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedCanBusTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void injectedFrames_reachListeners_stamped_andAFailingListenerDoesNotStopOthers() {
        SimulatedCanBus bus = new SimulatedCanBus(clock);
        List<CanFrame> received = new ArrayList<>();
        bus.addListener(f -> {
            throw new IllegalStateException("broken listener");
        });
        bus.addListener(received::add);
        bus.inject(CanFrame.standard(0x123, 1, 2));
        assertThat(received).singleElement().satisfies(f -> assertThat(f.timestamp()).isEqualTo(clock.instant()));
    }

    @Test
    void sentFrames_reachTheCarSide_andAreKept() {
        SimulatedCanBus bus = new SimulatedCanBus(clock);
        List<CanFrame> carSide = new ArrayList<>();
        bus.onSend(carSide::add);
        bus.send(CanFrame.standard(0x7DF, 2, 1, 0x0D));
        assertThat(carSide).hasSize(1);
        assertThat(bus.sent()).extracting(CanFrame::toString).containsExactly("7DF#02010D");
        bus.close();
        assertThatThrownBy(() -> bus.send(CanFrame.standard(0x7DF))).isInstanceOf(CanException.class);
    }

    @Test
    void sentFrames_keptAreBounded_toTheMostRecent() {
        SimulatedCanBus bus = new SimulatedCanBus(clock);
        for (int i = 0; i < SimulatedCanBus.SENT_KEPT + 5; i++) {
            bus.send(CanFrame.standard(i % 0x800));
        }
        assertThat(bus.sent()).hasSize(SimulatedCanBus.SENT_KEPT);
        assertThat(bus.sent().get(0).id()).isEqualTo(5);
    }

    @Test
    void frame_validatesIdsAndLength() {
        assertThatThrownBy(() -> CanFrame.standard(0x800)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanFrame.data(0x2000_0000, true, new byte[0], null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanFrame.standard(1, 1, 2, 3, 4, 5, 6, 7, 8, 9)).isInstanceOf(IllegalArgumentException.class);
        assertThat(CanFrame.standard(0x118, 0x38, 0x4F).payloadLittleEndian()).isEqualTo(0x4F38L);
        assertThat(CanFrame.standard(0x118, 0x38, 0x4F).payloadBigEndian()).isEqualTo(0x384F_0000_0000_0000L);
    }
}
