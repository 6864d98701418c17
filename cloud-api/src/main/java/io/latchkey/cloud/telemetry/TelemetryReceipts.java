package io.latchkey.cloud.telemetry;

import io.latchkey.cloud.mqtt.BackendMqttClient;
import io.latchkey.cloud.tenant.CommandKeys;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.Topic;
import io.latchkey.protocol.telemetry.TelemetryReceipt;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a car that a telemetry batch is done with, on its {@code receipt} channel: only then does the car
 * release the batch from its journal. Sent after every record of the batch is stored (newly or already: a
 * resend) or refused as implausible, never before; a batch that could not be stored gets no receipt, so
 * the car sends it again. Each receipt is signed with the tenant's command key, which the car pins: nobody
 * else who can publish on the broker can make a car drop records. QoS 1 with an expiry: a receipt the car
 * does not collect in time is worthless, the car resends and gets a new one.
 */
@Singleton
public class TelemetryReceipts {
    /** Longer than the agent's default receipt timeout (10 s) would be pointless. */
    static final Duration EXPIRY = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(TelemetryReceipts.class);

    private final BackendMqttClient client;
    private final CommandKeys keys;

    public TelemetryReceipts(BackendMqttClient client, CommandKeys keys) {
        this.client = client;
        this.keys = keys;
    }

    /**
     * Signs (about 35 µs, on the caller's thread and under no lock) and publishes the receipt of one batch.
     *
     * @param firstSeq lowest seq of the batch
     * @param lastSeq  highest seq of the batch
     * @param refused  the batch's seqs refused as implausible, ascending; every other seq is stored
     */
    public void done(String tenant, String deviceId, long firstSeq, long lastSeq, List<Long> refused) {
        TelemetryReceipt receipt = new TelemetryReceipt(tenant, deviceId, firstSeq, lastSeq, refused);
        byte[] signed = Json.write(keys.receiptSigner(tenant).sign(receipt));
        client.publish(Topic.of(tenant, deviceId, Channel.RECEIPT), signed, EXPIRY)
                .whenComplete((ok, e) -> {
                    if (e != null) {
                        LOG.debug("receipt {}..{} to {}/{} not sent: {}", firstSeq, lastSeq, tenant, deviceId, e.toString());
                    }
                });
    }
}
