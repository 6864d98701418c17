package io.latchkey.agent.it;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.latchkey.agent.TestCloud;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.Topic;
import io.latchkey.protocol.command.CommandAck;
import io.latchkey.protocol.telemetry.DeviceState;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import io.latchkey.protocol.telemetry.TelemetryBatch;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The cloud's end of the wire in tests: sends commands, collects what devices of one tenant publish,
 * and, like the backend, keeps each (device, seq) once and answers every telemetry batch with its
 * receipt signed by the tenant's key, without which the agent would not release it (unless the device is
 * {@link #withholdReceipts withheld}).
 */
public final class CloudClient implements AutoCloseable {
    public final List<CommandAck> acks = new CopyOnWriteArrayList<>();
    private final Map<String, List<TelemetryRecord>> telemetry = new ConcurrentHashMap<>();
    public final List<DeviceState> states = new CopyOnWriteArrayList<>();
    private final Mqtt5AsyncClient client;
    private final String tenant;
    private final TestCloud cloud;
    private final java.util.Set<String> withheld = ConcurrentHashMap.newKeySet();

    public CloudClient(int port, TestCloud cloud) throws Exception {
        this.cloud = cloud;
        this.tenant = cloud.tenant();
        this.client = Mqtt5Client.builder().identifier("test-cloud").serverHost("127.0.0.1").serverPort(port).buildAsync();
        client.publishes(MqttGlobalPublishFilter.ALL, p -> {
            Topic t = Topic.parse(p.getTopic().toString());
            byte[] bytes = p.getPayloadAsBytes();
            switch (t.channel()) {
                case ACK -> acks.add(io.latchkey.protocol.command.SignedAck.readUnverified(bytes));
                case TELEMETRY -> stored(t.deviceId(), Json.read(bytes, TelemetryBatch.class));
                case STATE -> states.add(Json.read(bytes, DeviceState.class));
                default -> { }
            }
        });
        client.connect().get(10, TimeUnit.SECONDS);
        client.subscribeWith().topicFilter("lk/" + tenant + "/+/+").qos(MqttQos.AT_LEAST_ONCE).send().get(10, TimeUnit.SECONDS);
    }

    private void stored(String deviceId, TelemetryBatch batch) {
        List<TelemetryRecord> kept = telemetry.computeIfAbsent(deviceId, d -> new CopyOnWriteArrayList<>());
        synchronized (kept) {
            for (TelemetryRecord r : batch.records()) {
                if (kept.stream().noneMatch(k -> k.seq() == r.seq())) {
                    kept.add(r);
                }
            }
        }
        if (!batch.records().isEmpty() && !withheld.contains(deviceId)) {
            client.publishWith().topic(Topic.of(tenant, deviceId, Channel.RECEIPT).name()).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(cloud.receiptOf(batch)).send();
        }
    }

    /** Stores the device's telemetry but sends no receipt for it while {@code withhold} holds. */
    public void withholdReceipts(String deviceId, boolean withhold) {
        if (withhold) {
            withheld.add(deviceId);
        } else {
            withheld.remove(deviceId);
        }
    }

    /** Publishes anything on the device's receipt channel, as whoever reaches the broker could. */
    public void publishReceipt(String deviceId, byte[] message) throws Exception {
        client.publishWith().topic(Topic.of(tenant, deviceId, Channel.RECEIPT).name()).qos(MqttQos.AT_LEAST_ONCE)
                .payload(message).send().get(10, TimeUnit.SECONDS);
    }

    public void send(String deviceId, byte[] signedCommand) throws Exception {
        client.publishWith().topic(Topic.of(tenant, deviceId, Channel.CMD).name()).qos(MqttQos.AT_LEAST_ONCE)
                .payload(signedCommand).send().get(10, TimeUnit.SECONDS);
    }

    public List<TelemetryRecord> telemetryOf(String deviceId) {
        return List.copyOf(telemetry.getOrDefault(deviceId, List.of()));
    }

    public List<CommandAck> acksFor(String commandId) {
        return acks.stream().filter(a -> commandId.equals(a.commandId())).toList();
    }

    @Override
    public void close() throws Exception {
        client.disconnect().get(10, TimeUnit.SECONDS);
    }
}
