package io.latchkey.cloud.it;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.latchkey.agent.ota.DownloadBudget;
import io.latchkey.agent.ota.Downloader;
import io.latchkey.agent.ota.OtaService;
import io.latchkey.agent.ota.OtaSettings;
import io.latchkey.agent.ota.Slots;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Topic;
import io.latchkey.protocol.ota.UpdateVerifier;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A car's agent as far as updates go, for the backend's tests: the device agent's own {@link OtaService} (offer checks,
 * resumable download with {@link Downloader}, bundle verification, A/B {@link Slots}, self-test, mark-good, roll-back),
 * connected to the embedded broker as the device (its enrolled key signs the statuses). A restart of the agent (after an
 * install or a roll-back) is a new {@code OtaService} on the slot the launcher would start: the trial if there is one,
 * else {@code current}, else the factory release. A {@link #badBuild} release never passes its self-test on trial (it
 * never reports connected), so its self-test time runs out and it rolls back by itself.
 */
public final class OtaAgent implements AutoCloseable {
    private final DeviceCredentials credentials;
    private final Map<String, PublicKey> updateKeys;
    private final Path root;
    private final Path factory;
    private final String factoryVersion;
    private final boolean badBuild;
    private final Mqtt5AsyncClient client;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<byte[]> offers = new CopyOnWriteArrayList<>();
    private volatile OtaService service;

    /**
     * @param updateKeys the update keys the device pinned
     * @param badBuild   whether an installed release fails its self-test (a bad build)
     */
    public OtaAgent(CloudApp app, String tenant, String deviceId, Map<String, PublicKey> updateKeys, String version, Path dir,
                    boolean badBuild) throws Exception {
        this.credentials = app.device(tenant, deviceId);
        this.updateKeys = updateKeys;
        this.root = dir.resolve("ota");
        this.factory = dir.resolve("opt");
        this.factoryVersion = version;
        this.badBuild = badBuild;
        Files.createDirectories(factory);
        Files.writeString(factory.resolve("device-agent.jar"), "factory " + version);
        URI uri = URI.create(app.mqttUrl());
        String clientId = tenant + ":" + deviceId;
        client = Mqtt5Client.builder().identifier(clientId).serverHost(uri.getHost()).serverPort(uri.getPort()).buildAsync();
        client.connectWith().simpleAuth().username(clientId).password(credentials.connectPassword(app.clock().instant()))
                .applySimpleAuth().send().get(10, TimeUnit.SECONDS);
        start();
        client.subscribeWith().topicFilter(Topic.of(tenant, deviceId, Channel.OTA).name()).qos(MqttQos.AT_LEAST_ONCE)
                .callback(m -> {
                    byte[] payload = m.getPayloadAsBytes();
                    offers.add(payload);
                    scheduler.execute(() -> service.offer(payload));
                }).send().get(10, TimeUnit.SECONDS);
    }

    /** The version the agent runs now. */
    public String running() {
        return service == null ? null : currentRunning().version();
    }

    /** Every offer received, raw. */
    public List<byte[]> offers() {
        return offers;
    }

    private OtaService.Running currentRunning() {
        Slots slots = new Slots(root);
        Optional<Path> trial = slots.trial();
        if (trial.isPresent()) {
            return new OtaService.Running("trial", trial.get(), Slots.versionOf(trial.get()).orElseThrow());
        }
        Optional<Path> current = slots.current();
        if (current.isPresent()) {
            return new OtaService.Running("current", current.get(), Slots.versionOf(current.get()).orElseThrow());
        }
        return new OtaService.Running("factory", factory, factoryVersion);
    }

    /** The agent starts (again), as the launcher starts it: the slot it picks, then the connection. */
    private void start() {
        OtaService.Running running = currentRunning();
        OtaSettings settings = new OtaSettings(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT, ZoneOffset.UTC, Duration.ofMillis(500),
                100_000_000, 3, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMillis(200));
        Downloader downloader = new Downloader(Duration.ofSeconds(10), new DownloadBudget(root.resolve("download-budget"), 100_000_000,
                Clock.systemUTC()), d -> Thread.sleep(d.toMillis()), 3, Duration.ofMillis(50), Duration.ofMillis(200));
        try {
            Files.createDirectories(root);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        OtaService next = new OtaService(new OtaService.Identity(credentials.tenant(), credentials.deviceId(), credentials.signer()),
                new UpdateVerifier(updateKeys, credentials.tenant(), 1), new Slots(root), downloader, running, () -> false, settings,
                Clock.systemUTC(), scheduler, this::publish, () -> scheduler.execute(this::restart));
        service = next;
        next.start();
        if (!(running.onTrial() && badBuild)) {
            next.connected();
        }
    }

    private void restart() {
        OtaService old = service;
        if (old != null) {
            old.close();
        }
        start();
    }

    private CompletableFuture<Void> publish(byte[] payload) {
        return client.publishWith().topic(Topic.of(credentials.tenant(), credentials.deviceId(), Channel.OTA_STATUS).name())
                .qos(MqttQos.AT_LEAST_ONCE).payload(payload).send().thenApply(r -> null);
    }

    @Override
    public void close() throws Exception {
        if (service != null) {
            service.close();
        }
        scheduler.shutdownNow();
        client.disconnect().get(5, TimeUnit.SECONDS);
    }
}
