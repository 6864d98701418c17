package io.latchkey.agent.journal;

import io.latchkey.agent.mqtt.ReconnectBackoff;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * What the car does when a telemetry batch's receipt is overdue while it is connected: a slow cloud (its store
 * behind, a replica starved) looks the same as a broker session that stopped delivering, and treating the first as
 * the second turns slowness into a reconnect storm (issue 16: 14,520 session renewals in one run with 10,000 cars,
 * each a new TLS session and a first batch the slow cloud then had to answer too). So:
 * <ul>
 *   <li>the batch is sent again only after a backoff, exponential with equal jitter ({@link ReconnectBackoff}):
 *       the n-th overdue receipt in a row waits between half and all of {@code min(cap, timeout * 2^(n-1))}, with
 *       the receipt timeout as the first step and {@value #CAP_FACTOR} times it as the cap (10 s: 5-10 s, 10-20 s,
 *       20-40 s, ... at most 300 s). The batch stays in flight meanwhile, so a late receipt still releases it;</li>
 *   <li>at the {@value #FIRST_CHECK}rd overdue receipt in a row the session is checked, not renewed: the car
 *       subscribes again on the live connection ({@code BrokerConnection.checkSession()}), which restores
 *       subscriptions a crashed broker lost and proves that the broker answers. Only a failed check (no SUBACK in
 *       time, a refusal) renews the session. A dead connection is found by the MQTT client's keep-alive (no
 *       PINGRESP) and reconnects by itself;</li>
 *   <li>if receipts are still missing at the 6th overdue receipt in a row (at least 3.5 minutes without a single
 *       one at the default 10 s), the re-subscription did not bring them back, and the session is renewed; then
 *       again only at every doubling (12, 24, ...: 25 minutes and more apart). A broker that confirms subscriptions
 *       and delivers nothing gets repaired, a slow cloud at most a handful of renewals per car.</li>
 * </ul>
 * Only a receipt that releases a batch starts the count again, not a new connection (a renewal reconnects, and must
 * not bring the next renewal forward). Not thread-safe: the sink calls it holding its lock.
 */
final class OverdueReceipts {
    static final int FIRST_CHECK = 3;
    static final int CAP_FACTOR = 30;

    /** What to do about the broker session at one overdue receipt. */
    enum Session { KEEP, CHECK, RENEW }

    /** What to do about one overdue receipt: wait {@code resendAfter}, then send the batch again; see to the session as told. */
    record Step(int inARow, Duration resendAfter, Session session) {
        boolean checkSession() {
            return session == Session.CHECK;
        }
    }

    private final ReconnectBackoff backoff;
    private int inARow;

    OverdueReceipts(Duration receiptTimeout, RandomGenerator random) {
        Objects.requireNonNull(receiptTimeout, "receiptTimeout");
        this.backoff = new ReconnectBackoff(receiptTimeout, receiptTimeout.multipliedBy(CAP_FACTOR),
                Objects.requireNonNull(random, "random"));
    }

    /** One more receipt overdue while connected. */
    Step overdue() {
        inARow = inARow == Integer.MAX_VALUE ? inARow : inARow + 1;
        return new Step(inARow, backoff.delay(inARow), session(inARow));
    }

    /** A receipt released a batch: the next overdue receipt is the first again. */
    void reset() {
        inARow = 0;
    }

    int inARow() {
        return inARow;
    }

    /** A check at 3; renewals at 6, 12, 24, ...: less often the longer receipts stay away. */
    private static Session session(int n) {
        if (n < FIRST_CHECK || n % FIRST_CHECK != 0) {
            return Session.KEEP;
        }
        int k = n / FIRST_CHECK;
        if ((k & (k - 1)) != 0) {
            return Session.KEEP;
        }
        return k == 1 ? Session.CHECK : Session.RENEW;
    }
}
