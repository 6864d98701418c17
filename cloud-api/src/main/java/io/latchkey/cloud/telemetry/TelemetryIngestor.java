package io.latchkey.cloud.telemetry;

import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.car.CarState;
import io.latchkey.cloud.metrics.TelemetryMetrics;
import io.latchkey.cloud.tenant.TenantDirectory;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.MalformedMessageException;
import io.latchkey.protocol.Topic;
import io.latchkey.cloud.mqtt.DeviceMessageListener;
import io.latchkey.protocol.telemetry.TelemetryBatch;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Stores telemetry batches exactly once per (device, seq), moves the car's latest state forward, and
 * answers each stored batch with a {@link TelemetryReceipts receipt} so that the car may release it.
 */
@Singleton
public class TelemetryIngestor implements DeviceMessageListener {
    private final TenantDirectory tenants;
    private final CarRegistry cars;
    private final TelemetryStore store;
    private final Clock clock;
    private final TelemetryMetrics metrics;
    private final TelemetryReceipts receipts;

    public TelemetryIngestor(TenantDirectory tenants, CarRegistry cars, TelemetryStore store, Clock clock,
                             TelemetryMetrics metrics, TelemetryReceipts receipts) {
        this.receipts = receipts;
        this.tenants = tenants;
        this.cars = cars;
        this.store = store;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Override
    public Set<Channel> channels() {
        return Set.of(Channel.TELEMETRY);
    }

    @Override
    public void onMessage(Topic topic, byte[] payload) {
        String carId = KnownDevices.carOf(tenants, cars, topic);
        TelemetryBatch batch = Json.read(payload, TelemetryBatch.class);
        if (!topic.deviceId().equals(batch.deviceId())) {
            throw new MalformedMessageException("batch of " + batch.deviceId() + " on " + topic);
        }
        List<TelemetryRecord> records = batch.records().stream()
                .filter(r -> r != null && r.seq() >= 1)
                .sorted(Comparator.comparingLong(TelemetryRecord::seq))
                .toList();
        List<TelemetryRecord> stored = store.appendNew(topic.tenant(), topic.deviceId(), records);
        stored.forEach(record -> metrics.stored(topic.tenant()));
        for (int i = stored.size(); i < records.size(); i++) {
            metrics.duplicate(topic.tenant());
        }
        TelemetryRecord newest = stored.isEmpty() ? null : stored.get(stored.size() - 1);
        if (newest != null) {
            TelemetryRecord latest = newest;
            cars.updateState(topic.tenant(), carId, state -> merge(state, latest));
        }
        receipts.stored(topic.tenant(), topic.deviceId(), records);
    }

    private CarState merge(CarState s, TelemetryRecord r) {
        if (s.lastSeq() != null && s.lastSeq() >= r.seq()) {
            return s;
        }
        return new CarState(true,
                r.lockState() != null ? r.lockState() : s.lockState(),
                r.doorsOpen() != null ? r.doorsOpen() : s.doorsOpen(),
                r.ignition() != null ? r.ignition() : s.ignition(),
                r.lat() != null ? r.lat() : s.lat(),
                r.lon() != null ? r.lon() : s.lon(),
                r.speedKmh() != null ? r.speedKmh() : s.speedKmh(),
                r.odometerKm() != null ? r.odometerKm() : s.odometerKm(),
                r.seq(),
                clock.instant());
    }
}
