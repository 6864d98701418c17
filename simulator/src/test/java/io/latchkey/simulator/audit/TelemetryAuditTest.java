package io.latchkey.simulator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TelemetryAuditTest {
    @Test
    void everyNumberStoredOnce_isClean() {
        TelemetryAudit.Result r = TelemetryAudit.check("d", List.of(1L, 2L, 3L, 4L), 4, 4, false);

        assertThat(r.clean()).isTrue();
        assertThat(r.stored()).isEqualTo(4);
    }

    @Test
    void aGapBelowWhatTheBrokerAcknowledged_isLost() {
        TelemetryAudit.Result r = TelemetryAudit.check("d", List.of(1L, 2L, 4L), 4, 4, false);

        assertThat(r.lostCount()).isEqualTo(1);
        assertThat(r.lost()).containsExactly(3L);
    }

    @Test
    void recordsStillInTheJournal_areNotLost() {
        TelemetryAudit.Result r = TelemetryAudit.check("d", List.of(1L, 2L), 5, 2, false);

        assertThat(r.clean()).isTrue();
        assertThat(r.pending()).isEqualTo(3);
    }

    @Test
    void aNumberStoredTwice_isDuplicated() {
        TelemetryAudit.Result r = TelemetryAudit.check("d", List.of(1L, 2L, 2L, 3L), 3, 3, false);

        assertThat(r.duplicatedCount()).isEqualTo(1);
        assertThat(r.clean()).isFalse();
    }

    @Test
    void aWindowedRead_checksFromItsOldestRecord() {
        TelemetryAudit.Result r = TelemetryAudit.check("d", List.of(501L, 502L, 503L), 503, 503, true);

        assertThat(r.clean()).isTrue();
        assertThat(r.checkedFrom()).isEqualTo(501);
    }
}
