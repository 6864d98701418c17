package io.latchkey.simulator.bench;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.Topic;
import io.latchkey.protocol.telemetry.SignedReceipt;
import io.latchkey.protocol.telemetry.TelemetryBatch;
import io.latchkey.protocol.telemetry.TelemetryReceipt;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What broker and backend ingest when the senders cost next to nothing: a few MQTT clients publish
 * ready-made telemetry batches for the fleet's devices, each device with one batch in flight until
 * the backend's receipt, exactly the agents' flow control, but without 1,000 agents' sampling,
 * journalling and serialising on the same two cores. Counted from the store. Runs after the fleet
 * has stopped, with sequence numbers far above anything the agents used, so the audit is untouched.
 */
final class IngestionCapacity {
    /** Above any sequence number an agent reaches in a benchmark run. */
    static final long SEQ_BASE = 100_000_000L;

    private final String brokerUrl;
    /** Each device's tenant, in the fleet's order. */
    private final Map<String, String> tenantOf;
    private final List<String> deviceIds;
    private final int batchSize;
    private final int senders;
    private String countCheck = "not made";
    private final java.util.concurrent.atomic.AtomicLong failures = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong resent = new java.util.concurrent.atomic.AtomicLong();
    /** Per device: the first seq of the batch waiting for its receipt. */
    private final Map<String, Long> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Long> sentAtNs = new ConcurrentHashMap<>();
    /** How often the store is counted: every count reads each grown blob once, load on the store it measures. */
    static final long SAMPLE_MS = 500;
    static final long RESEND_AFTER_NS = TimeUnit.SECONDS.toNanos(5);

    /** @param tenantOf each device's tenant (the bench's tenants' devices together), in the fleet's order */
    IngestionCapacity(String brokerUrl, Map<String, String> tenantOf, int batchSize, int senders) {
        this.brokerUrl = brokerUrl;
        this.tenantOf = new java.util.LinkedHashMap<>(tenantOf);
        this.deviceIds = List.copyOf(tenantOf.keySet());
        this.batchSize = batchSize;
        this.senders = senders;
    }

    /** Sends for {@code seconds}; returns the store's records/s over the run, over its best 5 s and over its second half. */
    double[] run(RecordCounter store, int seconds) throws Exception {
        URI u = URI.create(brokerUrl);
        List<Mqtt5AsyncClient> clients = new ArrayList<>();
        Map<String, Long> nextSeq = new ConcurrentHashMap<>();
        Map<String, Mqtt5AsyncClient> owner = new ConcurrentHashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (int s = 0; s < senders; s++) {
            Mqtt5AsyncClient c = Mqtt5Client.builder().identifier("bench-ingest-" + s).serverHost(u.getHost())
                    .serverPort(u.getPort()).buildAsync();
            c.connectWith().cleanStart(true).send().get(30, TimeUnit.SECONDS);
            clients.add(c);
        }
        for (int i = 0; i < deviceIds.size(); i++) {
            owner.put(deviceIds.get(i), clients.get(i % senders));
            nextSeq.put(deviceIds.get(i), SEQ_BASE);
        }
        for (Mqtt5AsyncClient c : clients) {
            for (String tenant : new java.util.LinkedHashSet<>(tenantOf.values())) {
                subscribe(c, tenant, owner, nextSeq, deadline);
            }
        }
        long before = store.count();
        long t0 = System.nanoTime();
        deviceIds.forEach(d -> send(owner.get(d), d, nextSeq));
        // marks during the phase (one listing each on Azurite), made exact counts after it: the counting's own
        // requests stay off the store while it is measured
        List<long[]> marks = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            marks.add(new long[] {System.nanoTime(), store.mark()});
            Thread.sleep(SAMPLE_MS);
            resendOverdue(owner);
        }
        marks.add(new long[] {System.nanoTime(), store.mark()});
        long t1 = marks.get(marks.size() - 1)[0];
        for (Mqtt5AsyncClient c : clients) {
            c.disconnect().get(10, TimeUnit.SECONDS);
        }
        List<long[]> samples = resolve(store, marks);
        long last = samples.get(samples.size() - 1)[1];
        double average = (last - before) / ((t1 - t0) / 1e9);
        checkCount(store);
        return new double[] {average, best5s(samples), secondHalf(samples)};
    }

    /** Each sender hears the receipts of every device of a tenant; it answers only for its own. */
    private void subscribe(Mqtt5AsyncClient c, String tenant, Map<String, Mqtt5AsyncClient> owner, Map<String, Long> nextSeq,
                           long deadline) throws Exception {
        c.subscribeWith().topicFilter(Topic.ROOT + "/" + tenant + "/+/" + Channel.RECEIPT.segment())
                .qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> {
                    TelemetryReceipt r = unverified(p.getPayloadAsBytes());
                    // the receipt of the batch in flight moves the device on; a second receipt of a resent batch does not
                    if (owner.get(r.deviceId()) == c && r.firstSeq() >= SEQ_BASE && System.nanoTime() < deadline
                            && inFlight.remove(r.deviceId(), r.firstSeq())) {
                        send(c, r.deviceId(), nextSeq);
                    }
                }).send().get(30, TimeUnit.SECONDS);
    }

    /**
     * Once the senders are gone and the last receipts are in: a mark resolved afterwards against a full read of the
     * store, which must agree (the marks' method is exact, or the run says so).
     */
    private void checkCount(RecordCounter store) throws InterruptedException {
        Thread.sleep(3000);
        long mark = store.mark();
        long full = store.count();
        long resolved = store.countsAt(new long[] {mark})[0];
        long again = store.count();
        countCheck = full == again ? (resolved == full ? "equal (" + full + ")" : "DIFFERENT: mark " + resolved + ", read " + full)
                : "not quiet (" + full + " then " + again + ")";
    }

    /** The mark-versus-read check of the run. */
    String countCheck() {
        return countCheck;
    }

    /** Marks to (time, exact count) samples; marks whose listing failed are left out, the last one is not allowed to be. */
    static List<long[]> resolve(RecordCounter store, List<long[]> marks) throws java.io.IOException {
        long[] counts = store.countsAt(marks.stream().mapToLong(m -> m[1]).toArray());
        List<long[]> samples = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] >= 0) {
                samples.add(new long[] {marks.get(i)[0], counts[i]});
            }
        }
        if (counts[counts.length - 1] < 0) {
            throw new java.io.IOException("the store could not be listed at the end of the phase");
        }
        return samples;
    }

    /**
     * Sends a batch again whose receipt is overdue ({@link #RESEND_AFTER_NS}), as an agent does after its receipt
     * time-out: a batch published while no replica was subscribed (the broker restarted just before this phase, the
     * replicas reconnecting) is otherwise lost and its device stalls for the rest of the run. The resend has the
     * same seqs, so the store keeps it once.
     */
    private void resendOverdue(Map<String, Mqtt5AsyncClient> owner) {
        long now = System.nanoTime();
        inFlight.forEach((deviceId, firstSeq) -> {
            Long sentAt = sentAtNs.get(deviceId);
            if (sentAt != null && now - sentAt > RESEND_AFTER_NS) {
                resent.incrementAndGet();
                publish(owner.get(deviceId), deviceId, firstSeq);
            }
        });
    }

    /** Batches sent again because their receipt was overdue. */
    long resent() {
        return resent.get();
    }

    private void send(Mqtt5AsyncClient client, String deviceId, Map<String, Long> nextSeq) {
        long first = nextSeq.merge(deviceId, (long) batchSize, Long::sum) - batchSize + 1;
        inFlight.put(deviceId, first);
        publish(client, deviceId, first);
    }

    private void publish(Mqtt5AsyncClient client, String deviceId, long first) {
        sentAtNs.put(deviceId, System.nanoTime());
        first--;
        List<TelemetryRecord> records = new ArrayList<>(batchSize);
        Instant t = Instant.now();
        for (int k = 0; k < batchSize; k++) {
            Map<String, Double> signals = new TreeMap<>();
            signals.put("Vehicle.Powertrain.FuelSystem.RelativeLevel", 50.0);
            signals.put("Vehicle.LowVoltageBattery.CurrentVoltage", 14.2);
            records.add(new TelemetryRecord(first + 1 + k, t, 52.52, 13.405, 40.0, 12_000.0, LockState.LOCKED, false,
                    true, 3, signals, "PERIODIC"));
        }
        client.publishWith().topic(Topic.of(tenantOf.get(deviceId), deviceId, Channel.TELEMETRY).name()).qos(MqttQos.AT_LEAST_ONCE)
                .payload(Json.write(new TelemetryBatch(deviceId, records))).send()
                .whenComplete((result, e) -> {
                    Throwable error = e != null ? e : result.getError().orElse(null);
                    if (error != null && failures.getAndIncrement() == 0) {
                        System.err.println("ingestion capacity: publish failed: " + error);
                    }
                });
    }

    /**
     * The receipt inside a signed one, read without checking the signature: these senders are a load
     * generator pacing itself on the backend's answers, not cars that release records on them.
     */
    private static TelemetryReceipt unverified(byte[] message) {
        SignedReceipt signed = Json.read(message, SignedReceipt.class);
        return Json.read(java.util.Base64.getUrlDecoder().decode(signed.payload()), TelemetryReceipt.class);
    }

    /** The highest rate over any window of at least 5 s in {@code samples} of (nanoTime, count). */
    /** Records/s from the sample nearest the middle of the run to its last: the rate once the JIT has warmed up. */
    static double secondHalf(List<long[]> samples) {
        long[] first = samples.get(0);
        long[] last = samples.get(samples.size() - 1);
        long middle = first[0] + (last[0] - first[0]) / 2;
        long[] from = first;
        for (long[] s : samples) {
            if (Math.abs(s[0] - middle) < Math.abs(from[0] - middle)) {
                from = s;
            }
        }
        return from == last ? 0 : (last[1] - from[1]) / ((last[0] - from[0]) / 1e9);
    }

    static double best5s(List<long[]> samples) {
        double best = 0;
        for (int i = 0; i < samples.size(); i++) {
            for (int j = i + 1; j < samples.size(); j++) {
                double dt = (samples.get(j)[0] - samples.get(i)[0]) / 1e9;
                if (dt >= 5) {
                    best = Math.max(best, (samples.get(j)[1] - samples.get(i)[1]) / dt);
                    break;
                }
            }
        }
        return best;
    }
}
