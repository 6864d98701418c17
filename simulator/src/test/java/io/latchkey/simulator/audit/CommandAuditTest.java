package io.latchkey.simulator.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.simulator.car.RelayActivation;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandAuditTest {
    private static final Instant T = Instant.parse("2026-11-23T17:00:00Z");

    private static CarLedger.Received received(String id, int expiresAfterSeconds) {
        return new CarLedger.Received(id, "UNLOCK", T.plusSeconds(expiresAfterSeconds), T);
    }

    @Test
    void anActivationBeforeExpiry_withItsExecutedAnswer_isClean() {
        CommandAudit.Result r = CommandAudit.check("d", List.of(new RelayActivation(RelayActivation.Kind.UNLOCK, T.plusMillis(5))),
                List.of(new CarLedger.Answered("c1", "EXECUTED", null, false, T.plusMillis(6))), List.of(received("c1", 10)));

        assertThat(r.clean()).isTrue();
    }

    @Test
    void anActivationAfterTheCommandExpired_isExecutedAfterExpiry() {
        CommandAudit.Result r = CommandAudit.check("d", List.of(new RelayActivation(RelayActivation.Kind.UNLOCK, T.plusSeconds(11))),
                List.of(new CarLedger.Answered("c1", "EXECUTED", null, false, T.plusSeconds(11))), List.of(received("c1", 10)));

        assertThat(r.executedAfterExpiry()).isEqualTo(1);
        assertThat(r.clean()).isFalse();
    }

    @Test
    void anActivationNoAnswerAccountsFor_isUnexplained() {
        CommandAudit.Result r = CommandAudit.check("d", List.of(new RelayActivation(RelayActivation.Kind.LOCK, T)),
                List.of(new CarLedger.Answered("c1", "EXECUTED", null, true, T)), List.of(received("c1", 10)));

        assertThat(r.unexplained()).isEqualTo(1);
        assertThat(r.duplicateAnswers()).isEqualTo(1);
    }

    @Test
    void aLateDeliveryRefusedAsExpired_isCountedAndClean() {
        CommandAudit.Result r = CommandAudit.check("d", List.of(),
                List.of(new CarLedger.Answered("c1", "REJECTED", "EXPIRED", false, T.plusSeconds(20))), List.of(received("c1", 10)));

        assertThat(r.expiredRefusals()).isEqualTo(1);
        assertThat(r.clean()).isTrue();
    }
}
