package io.latchkey.agent.key;

import io.latchkey.protocol.LockState;
import io.latchkey.protocol.key.KeyRight;
import java.util.concurrent.CompletableFuture;

/** What an accepted key does at the car: the same door locks (and immobiliser) the signed commands drive. */
public interface KeyActions {
    /**
     * What happened.
     *
     * @param outcome {@code EXECUTED}, {@code FAILED} (tried, the feedback did not confirm) or {@code REJECTED} (the car
     *                refused, e.g. no immobiliser for START)
     * @param reason  null when executed
     */
    record Done(String outcome, String reason, LockState lockState) {
    }

    /** Performs {@code action}; completes with what the feedback showed, never exceptionally. */
    CompletableFuture<Done> perform(KeyRight action);

    /** The lock state now, for refusals. */
    LockState lockState();
}
