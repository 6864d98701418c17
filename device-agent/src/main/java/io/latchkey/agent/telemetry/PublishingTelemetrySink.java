package io.latchkey.agent.telemetry;

import io.latchkey.agent.mqtt.BrokerConnection;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.telemetry.TelemetryBatch;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each record at once as a one-record batch, QoS 1. While the connection is down the MQTT
 * client queues publishes in memory; records are lost only if the process dies before they are
 * sent, which is what the journal of issue 3 fixes.
 */
public final class PublishingTelemetrySink implements TelemetrySink {
    private static final Logger LOG = LoggerFactory.getLogger(PublishingTelemetrySink.class);

    private final BrokerConnection connection;
    private final String deviceId;

    public PublishingTelemetrySink(BrokerConnection connection, String deviceId) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
    }

    @Override
    public void submit(TelemetryRecord record) {
        connection.publish(Channel.TELEMETRY, Json.write(new TelemetryBatch(deviceId, List.of(record))), false)
                .whenComplete((ok, e) -> {
                    if (e != null) {
                        LOG.warn("{}: telemetry seq {} not published: {}", deviceId, record.seq(), e.toString());
                    }
                });
    }
}
