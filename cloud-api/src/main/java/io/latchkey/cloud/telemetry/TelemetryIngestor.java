package io.latchkey.cloud.telemetry;

import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.car.CarState;
import io.latchkey.cloud.live.LiveFeed;
import io.latchkey.cloud.live.LiveState;
import io.latchkey.cloud.metrics.TelemetryMetrics;
import io.latchkey.cloud.tenant.TenantDirectory;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.MalformedMessageException;
import io.latchkey.protocol.Topic;
import io.latchkey.cloud.mqtt.DeviceMessageListener;
import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.event.Events;
import io.latchkey.protocol.telemetry.DeviceEvent;
import io.latchkey.protocol.telemetry.TelemetryBatch;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores telemetry batches exactly once per (device, seq), moves the car's latest state forward, and
 * answers each stored batch with a {@link TelemetryReceipts receipt} so that the car may release it.
 * Records that break a {@link TelemetryPlausibility} rule are refused: not stored, never moving the car's
 * state, counted, and listed in the receipt so that the car releases them rather than resending them.
 * Trips are segmented ({@link Trips}) before the receipt, so a batch is released only once its trips are durable.
 */
@Singleton
public class TelemetryIngestor implements DeviceMessageListener {
    private static final Logger LOG = LoggerFactory.getLogger(TelemetryIngestor.class);
    private final TenantDirectory tenants;
    private final CarRegistry cars;
    private final TelemetryStore store;
    private final Clock clock;
    private final TelemetryMetrics metrics;
    private final TelemetryReceipts receipts;
    private final Trips trips;
    private final LiveFeed live;
    private final Events events;

    public TelemetryIngestor(TenantDirectory tenants, CarRegistry cars, TelemetryStore store, Clock clock,
                             TelemetryMetrics metrics, TelemetryReceipts receipts, Trips trips,
                             LiveFeed live, Events events) {
        this.events = events;
        this.live = live;
        this.receipts = receipts;
        this.trips = trips;
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
        String tenant = topic.tenant();
        List<TelemetryRecord> records = batch.records().stream()
                .filter(r -> r != null && r.seq() >= 1)
                .sorted(Comparator.comparingLong(TelemetryRecord::seq))
                .toList();
        if (records.isEmpty()) {
            return;
        }
        long highest = store.highestSeq(tenant, topic.deviceId());
        Instant now = clock.instant();
        List<TelemetryRecord> plausible = new ArrayList<>(records.size());
        SortedSet<Long> refused = new TreeSet<>();
        for (TelemetryRecord r : records) {
            Optional<String> rule = TelemetryPlausibility.refusal(r, highest, now);
            if (rule.isPresent()) {
                metrics.refused(tenant, rule.get());
                refused.add(r.seq());
                LOG.debug("{}/{}: refused telemetry seq {}: implausible {}", tenant, topic.deviceId(), r.seq(), rule.get());
            } else {
                plausible.add(r);
            }
        }
        TelemetryStore.Stored result = store.store(tenant, topic.deviceId(), plausible);
        List<TelemetryRecord> stored = result.stored();
        stored.forEach(record -> metrics.stored(tenant));
        for (int i = stored.size(); i < plausible.size(); i++) {
            metrics.duplicate(tenant);
        }
        if (!stored.isEmpty()) {
            TelemetryRecord latest = stored.get(stored.size() - 1);
            CarState state = cars.updateStateFromTelemetry(tenant, carId, stored.get(0).seq(), result.appendedByOthers(),
                    s -> merge(s, latest));
            if (state.lastSeq() != null && state.lastSeq() == latest.seq()) {
                live.publishState(tenant, carId, LiveState.TELEMETRY, state, LiveState.Readings.of(latest.signals()), latest.time());
            }
        }
        // a record refused as implausible still carries an authentic event (its values are what is doubted)
        storeEvents(tenant, carId, topic.deviceId(), records);
        // every plausible record, resends included: trips skip what they applied already, and apply what a crash
        // before their progress was written left out
        trips.ingest(tenant, carId, plausible, result.appendedByOthers());
        receipts.done(tenant, topic.deviceId(), records.get(0).seq(), records.get(records.size() - 1).seq(),
                List.copyOf(refused));
    }

    /**
     * A record may carry a device event that had to travel in the car's journal (an offline key's use, made while the
     * car was offline: docs/offline-keys.md §8). Stored as the event channel stores it, before the receipt releases
     * the record, so a crash in between makes the car resend it; resends and the copy the car may also have published
     * on the event channel are the same event (device, details, time) and stored once.
     */
    private void storeEvents(String tenant, String carId, String deviceId, List<TelemetryRecord> records) {
        for (TelemetryRecord r : records) {
            DeviceEvent e = r.event();
            if (e == null) {
                continue;
            }
            try {
                events.fromDevice(tenant, carId, deviceId, e.type(), e.at(), e.details());
            } catch (InvalidRequestException bad) {
                LOG.warn("{}/{}: the event of telemetry seq {} not stored: {}", tenant, deviceId, r.seq(), bad.getMessage());
            }
        }
    }

    private CarState merge(CarState s, TelemetryRecord r) {
        return s.merge(r, clock.instant());
    }
}
