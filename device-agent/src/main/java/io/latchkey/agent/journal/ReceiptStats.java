package io.latchkey.agent.journal;

/**
 * What became of the messages on the receipt channel since the agent started, for {@code status.json}.
 *
 * @param accepted       receipts that verified and released the batch in flight
 * @param rejected       messages ignored as untrustworthy: unsigned, a signature or key that does not
 *                       verify, for another tenant or device, or covering seqs this car never sent
 * @param stale          receipts that verified but match nothing in flight (a resend receipted twice, late)
 * @param refusedRecords records the cloud refused as implausible and the receipt released unstored
 */
public record ReceiptStats(long accepted, long rejected, long stale, long refusedRecords) {
}
