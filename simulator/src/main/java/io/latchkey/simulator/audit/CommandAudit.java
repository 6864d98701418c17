package io.latchkey.simulator.audit;

import io.latchkey.simulator.car.RelayActivation;
import java.time.Instant;
import java.util.List;

/**
 * Checks one car's physical effects against what it answered: every relay activation must belong to a
 * command the car answered EXECUTED (first time, not a duplicate), at a moment before the signed expiry
 * of the delivery that caused it. An activation with no such answer, or after the expiry, is a command executed that
 * should not have been.
 */
public final class CommandAudit {
    /**
     * @param activations           relay activations on the car
     * @param executedAnswers       EXECUTED or FAILED (relay pulsed), non-duplicate answers the car published
     * @param executedAfterExpiry   activations at or after the expiry of the command they belong to
     * @param unexplained           activations with no EXECUTED answer to account for them
     * @param expiredRefusals       commands the car refused as EXPIRED (delivered late, rightly not executed)
     */
    public record Result(String deviceId, int activations, int executedAnswers, int executedAfterExpiry, int unexplained,
                         int expiredRefusals, int duplicateAnswers) {
        public boolean clean() {
            return executedAfterExpiry == 0 && unexplained == 0;
        }
    }

    private CommandAudit() {
    }

    public static Result check(String deviceId, List<RelayActivation> activations, List<CarLedger.Answered> answers,
                               List<CarLedger.Received> received) {
        // FAILED also means the relay was pulsed (feedback did not confirm), so it accounts for an activation.
        // IMMOBILISE and MOBILISE move the immobiliser relay, not the lock relays audited here.
        java.util.Set<String> immobiliser = received.stream()
                .filter(r -> "IMMOBILISE".equals(r.type()) || "MOBILISE".equals(r.type()))
                .map(CarLedger.Received::id).collect(java.util.stream.Collectors.toSet());
        List<CarLedger.Answered> executed = answers.stream()
                .filter(a -> ("EXECUTED".equals(a.outcome()) || "FAILED".equals(a.outcome())) && !a.duplicate())
                .filter(a -> !immobiliser.contains(a.commandId())).toList();
        int afterExpiry = 0;
        int unexplained = 0;
        // Commands run one at a time per car: the k-th activation belongs to the k-th EXECUTED answer.
        for (int k = 0; k < activations.size(); k++) {
            if (k >= executed.size()) {
                unexplained++;
                continue;
            }
            Instant expires = expiryOf(executed.get(k).commandId(), activations.get(k).at(), received);
            if (expires == null || !activations.get(k).at().isBefore(expires)) {
                afterExpiry++;
            }
        }
        int expiredRefusals = (int) answers.stream().filter(a -> "REJECTED".equals(a.outcome()) && "EXPIRED".equals(a.reason())).count();
        int duplicates = (int) answers.stream().filter(CarLedger.Answered::duplicate).count();
        return new Result(deviceId, activations.size(), executed.size(), afterExpiry, unexplained, expiredRefusals, duplicates);
    }

    /**
     * The signed expiry of the delivery that caused an activation: the last delivery of that id received
     * before it. A retry after a timeout re-signs the same id with a new expiry, so an id can arrive
     * first expired (refused EXPIRED) and then valid (executed); its first expiry says nothing about the
     * second.
     */
    private static Instant expiryOf(String commandId, Instant activatedAt, List<CarLedger.Received> received) {
        Instant expires = null;
        Instant latest = null;
        for (CarLedger.Received r : received) {
            if (commandId != null && commandId.equals(r.id()) && !r.receivedAt().isAfter(activatedAt)
                    && (latest == null || !r.receivedAt().isBefore(latest))) {
                latest = r.receivedAt();
                expires = r.expiresAt();
            }
        }
        return expires;
    }
}
