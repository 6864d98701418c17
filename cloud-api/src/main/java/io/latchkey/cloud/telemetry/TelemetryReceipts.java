package io.latchkey.cloud.telemetry;

import io.latchkey.cloud.mqtt.BackendMqttClient;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.Topic;
import io.latchkey.protocol.telemetry.TelemetryReceipt;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a car that a telemetry batch is durably stored, on its {@code receipt} channel: only then does
 * the car release the batch from its journal. Sent after every record of the batch is stored, newly
 * or already (a resend), never before; a batch that could not be stored gets no receipt, so the car
 * sends it again. QoS 1 with an expiry: a receipt the car does not collect in time is worthless, the
 * car resends and gets a new one.
 */
@Singleton
public class TelemetryReceipts {
    /** Longer than the agent's default receipt timeout (10 s) would be pointless. */
    static final Duration EXPIRY = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(TelemetryReceipts.class);

    private final BackendMqttClient client;

    public TelemetryReceipts(BackendMqttClient client) {
        this.client = client;
    }

    /** {@code records}: the batch's records, all durably stored now. Nothing is sent for an empty batch. */
    public void stored(String tenant, String deviceId, List<TelemetryRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (TelemetryRecord r : records) {
            first = Math.min(first, r.seq());
            last = Math.max(last, r.seq());
        }
        TelemetryReceipt receipt = new TelemetryReceipt(deviceId, first, last);
        client.publish(Topic.of(tenant, deviceId, Channel.RECEIPT), Json.write(receipt), EXPIRY)
                .whenComplete((ok, e) -> {
                    if (e != null) {
                        LOG.debug("receipt {}..{} to {}/{} not sent: {}", receipt.firstSeq(), receipt.lastSeq(), tenant,
                                deviceId, e.toString());
                    }
                });
    }
}
