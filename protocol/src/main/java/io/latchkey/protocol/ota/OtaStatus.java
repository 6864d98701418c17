package io.latchkey.protocol.ota;

import java.time.Instant;

/**
 * Car to cloud on {@code lk/{t}/{d}/ota-status}, inside a {@link SignedOtaStatus}.
 *
 * @param tenant    the device's tenant (the signer sets it)
 * @param deviceId  the device (the signer sets it)
 * @param rolloutId the offer's rollout
 * @param version   the release of the offer
 * @param running   the version the agent sending this runs
 * @param state     where the update is
 * @param reason    why, for {@code FAILED} and {@code ROLLED_BACK} (a {@link UpdateRefusedException.Reason} name or a
 *                  short word first, then details); null otherwise
 * @param at        when, by the device's clock
 */
public record OtaStatus(String tenant, String deviceId, String rolloutId, String version, String running, OtaState state,
                        String reason, Instant at) {
    OtaStatus from(String tenant, String deviceId) {
        return new OtaStatus(tenant, deviceId, rolloutId, version, running, state, reason, at);
    }
}
