package io.latchkey.protocol.command;

import io.latchkey.protocol.LockState;
import java.time.Instant;
import java.util.List;

/**
 * The device's answer on the {@code ack} channel, inside a {@link SignedAck}.
 *
 * @param commandId the command's id ({@code null} only when the command could not even be parsed)
 * @param tenant    the answering device's tenant; set by {@link AckSigner} (the device signs as itself)
 * @param deviceId  the answering device; set by {@link AckSigner}
 * @param outcome   what happened
 * @param reason    why it was rejected or failed; a {@link CommandRejectedException.Reason} name or text
 * @param lockState the lock state read back from feedback after the command
 * @param doorsOpen whether any door was reported open
 * @param duplicate true when this answers a repeated id from the first result
 * @param at        when the device answered
 * @param failed    the checks that failed, in words a borrower understands ({@code DOOR_OPEN: rear left},
 *                  {@code KEY_NOT_IN_HOLDER}); set when a check refused the command ({@code END_RENTAL},
 *                  {@code IMMOBILISE}, outcome {@code REJECTED}), or when {@code END_RENTAL} passed its checks but
 *                  the lock did not take (outcome {@code FAILED}, {@code LOCK_FAILED: …}); else null (and absent
 *                  from the signed JSON)
 */
public record CommandAck(String commandId, String tenant, String deviceId, CommandOutcome outcome, String reason,
                         LockState lockState, Boolean doorsOpen, boolean duplicate, Instant at, List<String> failed) {

    public CommandAck {
        failed = failed == null ? null : List.copyOf(failed);
    }

    public CommandAck(String commandId, String tenant, String deviceId, CommandOutcome outcome, String reason,
                      LockState lockState, Boolean doorsOpen, boolean duplicate, Instant at) {
        this(commandId, tenant, deviceId, outcome, reason, lockState, doorsOpen, duplicate, at, null);
    }

    public CommandAck asDuplicate() {
        return new CommandAck(commandId, tenant, deviceId, outcome, reason, lockState, doorsOpen, true, at, failed);
    }

    /** The same answer, as given by {@code tenant}'s device {@code deviceId}. */
    public CommandAck from(String tenant, String deviceId) {
        return new CommandAck(commandId, tenant, deviceId, outcome, reason, lockState, doorsOpen, duplicate, at, failed);
    }
}
