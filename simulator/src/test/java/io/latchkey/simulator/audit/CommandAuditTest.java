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

    @Test
    void aRetriedIdReSignedWithANewExpiry_isJudgedByTheDeliveryThatCausedTheActivation() {
        // First delivery expired in transit (refused), the retry after the timeout carries a new expiry.
        CarLedger.Received stale = new CarLedger.Received("c1", "UNLOCK", T.plusSeconds(3), T.plusSeconds(5));
        CarLedger.Received retry = new CarLedger.Received("c1", "UNLOCK", T.plusSeconds(9), T.plusSeconds(5).plusMillis(10));
        List<CarLedger.Answered> answers = List.of(new CarLedger.Answered("c1", "REJECTED", "EXPIRED", false, T.plusSeconds(5)),
                new CarLedger.Answered("c1", "EXECUTED", null, false, T.plusSeconds(5).plusMillis(30)));

        CommandAudit.Result clean = CommandAudit.check("d",
                List.of(new RelayActivation(RelayActivation.Kind.UNLOCK, T.plusSeconds(5).plusMillis(20))), answers,
                List.of(stale, retry));
        assertThat(clean.clean()).isTrue();

        // ... but executing the retry after its own expiry is still caught.
        CommandAudit.Result late = CommandAudit.check("d",
                List.of(new RelayActivation(RelayActivation.Kind.UNLOCK, T.plusSeconds(10))), answers, List.of(stale, retry));
        assertThat(late.executedAfterExpiry()).isEqualTo(1);
    }

    @Test
    void anExecutedImmobilise_movesNoLockRelay_andDoesNotTakeTheNextLockActivationsAnswer() {
        // c1 IMMOBILISE executed (immobiliser relay), then c2 LOCK (lock relay) valid for 10 s: the LOCK activation is c2's.
        List<CarLedger.Received> received = List.of(
                new CarLedger.Received("c1", "IMMOBILISE", T.plusSeconds(1), T),
                new CarLedger.Received("c2", "LOCK", T.plusSeconds(12), T.plusSeconds(2)));
        List<CarLedger.Answered> answers = List.of(
                new CarLedger.Answered("c1", "EXECUTED", null, false, T.plusMillis(5)),
                new CarLedger.Answered("c2", "EXECUTED", null, false, T.plusSeconds(3)));

        CommandAudit.Result r = CommandAudit.check("d",
                List.of(new RelayActivation(RelayActivation.Kind.LOCK, T.plusSeconds(3))), answers, received);

        assertThat(r.executedAfterExpiry()).isZero();
        assertThat(r.unexplained()).isZero();
        assertThat(r.executedAnswers()).isEqualTo(1);
    }
}
