package io.latchkey.cloud.ota;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.latchkey.agent.ota.UpdateBundle;
import io.latchkey.cloud.booking.BookingService;
import io.latchkey.cloud.it.CloudApp;
import io.latchkey.cloud.it.DeviceCredentials;
import io.latchkey.cloud.it.Http;
import io.latchkey.cloud.it.OtaAgent;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.Keys;
import io.latchkey.protocol.Topic;
import io.latchkey.protocol.device.DeviceSigner;
import io.latchkey.protocol.ota.OtaOffer;
import io.latchkey.protocol.ota.OtaState;
import io.latchkey.protocol.ota.OtaStatus;
import io.latchkey.protocol.ota.SignedOtaStatus;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over-the-air rollouts end to end (docs/ota.md §8): releases uploaded and checked as a device checks them, offered in
 * waves to cars running the device agent's own update service on the embedded broker, which download the bundle with
 * their ticket, verify, install into a slot and report back with signed statuses. A refusing car halts its wave at the
 * threshold; a silent one times out and the rollout completes; a car in an active rental is deferred and untouched;
 * pause, resume and cancel; forged statuses are refused; the download resumes with Range.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RolloutIT {
    @TempDir
    static Path dataDir;
    @TempDir
    static Path work;
    CloudApp app;
    String admin;
    String operator;
    String borrower;
    KeyPair updateKey;
    byte[] bundle;
    String releaseId;
    final List<OtaAgent> agents = new ArrayList<>();
    io.micronaut.http.client.BlockingHttpClient rawClient;

    @BeforeAll
    void start() throws Exception {
        app = CloudApp.start(dataDir, Map.of("latchkey.ota.tick", "300ms", "latchkey.ota.reoffer", "1h"));
        admin = app.tenantWithAdmin("acme");
        operator = app.user("acme", admin, "olga@acme.test", "operator");
        borrower = app.user("acme", admin, "bob@acme.test", "borrower");
        app.tenantWithAdmin("globex");
        updateKey = Keys.newCommandKeyPair();
        JsonNode key = expect(201, app.http.postJson("/t/acme/update-keys", operator,
                Map.of("kid", "upd-1", "publicKey", Keys.encodePublic(updateKey.getPublic())))).json();
        assertThat(key.path("kid").asText()).isEqualTo("upd-1");
        bundle = bundle("acme", "0.3.0", "upd-1", updateKey);
        JsonNode release = expect(201, upload(operator, bundle)).json();
        releaseId = release.path("id").asText();
        assertThat(release.path("version").asText()).isEqualTo("0.3.0");
        assertThat(release.path("size").asLong()).isEqualTo(bundle.length);
        assertThat(release.path("signerKeyId").asText()).isEqualTo("upd-1");
    }

    @AfterAll
    void stop() throws Exception {
        for (OtaAgent a : agents) {
            a.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void badBundlesAreRefusedAtUpload_withTheDevicesReason_andNothingIsKept() throws Exception {
        int before = expect(200, app.http.get("/t/acme/releases", operator)).json().size();
        // no manifest
        ByteArrayOutputStream unsigned = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(unsigned)) {
            zip.putNextEntry(new ZipEntry("device-agent.jar"));
            zip.write("agent".getBytes());
            zip.closeEntry();
        }
        assertThat(expect(400, upload(operator, unsigned.toByteArray())).body()).contains("UNSIGNED");
        // signed by a key the tenant has not registered
        assertThat(expect(400, upload(operator, bundle("acme", "0.3.1", "upd-9", Keys.newCommandKeyPair()))).body())
                .contains("UNKNOWN_KEY");
        // a registered id, another key
        assertThat(expect(400, upload(operator, bundle("acme", "0.3.1", "upd-1", Keys.newCommandKeyPair()))).body())
                .contains("BAD_SIGNATURE");
        // another tenant's release, signed with this tenant's key
        assertThat(expect(400, upload(operator, bundle("globex", "0.3.1", "upd-1", updateKey))).body()).contains("WRONG_TENANT");
        // a file changed after signing
        assertThat(expect(400, upload(operator, tampered(bundle))).body()).contains("TAMPERED");
        assertThat(expect(400, upload(operator, "not a zip".getBytes())).body()).contains("MALFORMED");
        // borrowers and other tenants may not
        expect(403, upload(borrower, bundle));
        expect(403, app.http.get("/t/acme/releases", borrower));
        expect(404, app.http.get("/t/acme/releases/" + releaseId + "x", operator));
        assertThat(expect(200, app.http.get("/t/acme/releases", operator)).json().size()).isEqualTo(before);
        expect(200, app.http.get("/t/acme/releases/" + releaseId, operator));
        // the key set the devices get lists the update key
        var set = app.context().getBean(io.latchkey.cloud.device.KeySetPublisher.class).current("acme");
        assertThat(new String(set.toJson())).isNotEmpty();
        assertThat(app.context().getBean(UpdateKeys.class).updateKeys("acme")).extracting(k -> k.kid()).containsExactly("upd-1");
        expect(409, app.http.postJson("/t/acme/update-keys", admin, Map.of("kid", "upd-1", "publicKey",
                Keys.encodePublic(updateKey.getPublic()))));
        expect(400, app.http.postJson("/t/acme/update-keys", admin, Map.of("kid", "upd-2", "publicKey", "AAAA")));
        expect(403, app.http.postJson("/t/acme/update-keys", borrower, Map.of("kid", "upd-3", "publicKey",
                Keys.encodePublic(updateKey.getPublic()))));
    }

    @Test
    void aRefusingCar_haltsTheRolloutAtTheThreshold_andTheNextWaveIsNeverOffered() throws Exception {
        OtaAgent refusing = agent("h-bad", Map.of("upd-7", Keys.newCommandKeyPair().getPublic()), false);
        OtaAgent good = agent("h-1", pinned(), false);
        OtaAgent later1 = agent("h-2", pinned(), false);
        OtaAgent later2 = agent("h-3", pinned(), false);
        JsonNode rollout = expect(201, app.http.postJson("/t/acme/rollouts", operator, Map.of("releaseId", releaseId,
                "target", Map.of("cars", List.of("car-h-bad", "car-h-1", "car-h-2", "car-h-3")), "waves", List.of(50, 100),
                "failureThreshold", 10))).json();
        String id = rollout.path("id").asText();
        assertThat(rollout.path("state").asText()).isEqualTo("RUNNING");
        assertThat(rollout.path("waves").get(0).path("cars").asInt()).isEqualTo(2);

        await().atMost(30, TimeUnit.SECONDS).until(() -> state(id).equals("HALTED"));
        Map<String, JsonNode> devices = devices(id);
        assertThat(devices.get("car-h-bad").path("state").asText()).isEqualTo("FAILED");
        assertThat(devices.get("car-h-bad").path("reason").asText()).startsWith("UNKNOWN_KEY");
        assertThat(rollout(id).path("haltReason").asText()).contains("wave 0").contains("threshold 10");
        // the car of the first wave that accepts it still updates
        await().atMost(30, TimeUnit.SECONDS).until(() -> devices(id).get("car-h-1").path("state").asText().equals("UPDATED"));
        assertThat(good.running()).isEqualTo("0.3.0");
        assertThat(devices(id).get("car-h-1").path("version").asText()).isEqualTo("0.3.0");
        // the second wave: never offered
        Thread.sleep(1000);
        assertThat(devices(id).get("car-h-2").path("state").asText()).isEqualTo("PENDING");
        assertThat(devices(id).get("car-h-3").path("state").asText()).isEqualTo("PENDING");
        assertThat(later1.offers()).isEmpty();
        assertThat(later2.offers()).isEmpty();
        assertThat(later1.running()).isEqualTo("0.2.0");
        JsonNode halted = rollout(id);
        assertThat(halted.path("waves").get(1).path("state").asText()).isEqualTo("SKIPPED");
        assertThat(halted.path("counts").path("FAILED").asInt()).isEqualTo(1);
        expect(409, app.http.postJson("/t/acme/rollouts/" + id + "/resume", operator, Map.of()));
        assertThat(trail()).anyMatch(a -> a.startsWith("ota.rollout-halted rollout/" + id))
                .anyMatch(a -> a.startsWith("ota.device-failed rollout/" + id + " car/car-h-bad"))
                .anyMatch(a -> a.startsWith("ota.rollout-created rollout/" + id));
    }

    @Test
    void aBadBuildRollsBackByItself_aSilentCarTimesOut_andTheRolloutCompletes() throws Exception {
        OtaAgent good = agent("t-1", pinned(), false);
        OtaAgent bad = agent("t-bad", pinned(), true);
        app.car("acme", operator, "car-t-silent", "t-silent");
        app.device("acme", "t-silent");
        JsonNode rollout = expect(201, app.http.postJson("/t/acme/rollouts", operator, Map.of("releaseId", releaseId,
                "target", Map.of("cars", List.of("car-t-1", "car-t-bad", "car-t-silent")), "waves", List.of(100),
                "failureThreshold", 70, "deviceTimeout", "10m"))).json();
        String id = rollout.path("id").asText();
        await().atMost(30, TimeUnit.SECONDS).until(() -> devices(id).get("car-t-1").path("state").asText().equals("UPDATED")
                && devices(id).get("car-t-bad").path("state").asText().equals("ROLLED_BACK"));
        assertThat(devices(id).get("car-t-bad").path("reason").asText()).startsWith("SELFTEST_TIMEOUT");
        assertThat(bad.running()).isEqualTo("0.2.0");
        assertThat(good.running()).isEqualTo("0.3.0");
        assertThat(devices(id).get("car-t-silent").path("state").asText()).isEqualTo("OFFERED");
        // one silent car holds the wave only until its time-out
        Thread.sleep(700);
        assertThat(state(id)).isEqualTo("RUNNING");
        advance(Duration.ofMinutes(11));
        await().atMost(20, TimeUnit.SECONDS).until(() -> state(id).equals("COMPLETED"));
        assertThat(devices(id).get("car-t-silent").path("state").asText()).isEqualTo("TIMED_OUT");
        JsonNode done = rollout(id);
        assertThat(done.path("counts").path("UPDATED").asInt()).isEqualTo(1);
        assertThat(done.path("counts").path("ROLLED_BACK").asInt()).isEqualTo(1);
        assertThat(done.path("counts").path("TIMED_OUT").asInt()).isEqualTo(1);
        assertThat(done.path("waves").get(0).path("state").asText()).isEqualTo("DONE");
        assertThat(trail()).anyMatch(a -> a.startsWith("ota.device-timed-out rollout/" + id + " car/car-t-silent"))
                .anyMatch(a -> a.startsWith("ota.rollout-completed rollout/" + id));
    }

    @Test
    void aCarInAnActiveRental_isDeferredAndUntouched_withoutHoldingItsWave_andIsOfferedWhenFree() throws Exception {
        OtaAgent rented = agent("d-rented", pinned(), false);
        OtaAgent free = agent("d-free", pinned(), false);
        JsonNode booking = expect(201, app.http.postJson("/t/acme/bookings", borrower, Map.of("carId", "car-d-rented", "immediate", true)))
                .json();
        BookingService bookings = app.context().getBean(BookingService.class);
        assertThat(bookings.started("acme", "car-d-rented", booking.path("userId").asText(), app.clock().instant())).isPresent();
        JsonNode rollout = expect(201, app.http.postJson("/t/acme/rollouts", operator, Map.of("releaseId", releaseId,
                "target", Map.of("cars", List.of("car-d-rented", "car-d-free")), "waves", List.of(100)))).json();
        String id = rollout.path("id").asText();
        await().atMost(30, TimeUnit.SECONDS).until(() -> devices(id).get("car-d-free").path("state").asText().equals("UPDATED"));
        JsonNode deferred = devices(id).get("car-d-rented");
        assertThat(deferred.path("state").asText()).isEqualTo("DEFERRED");
        assertThat(deferred.path("reason").asText()).isEqualTo("ACTIVE_RENTAL");
        assertThat(rented.offers()).isEmpty();
        assertThat(rented.running()).isEqualTo("0.2.0");
        assertThat(state(id)).isEqualTo("RUNNING");
        // the rental ends: the car is offered and updates; then the rollout is complete
        bookings.end("acme", booking.path("id").asText(), "system", app.clock().instant());
        await().atMost(30, TimeUnit.SECONDS).until(() -> state(id).equals("COMPLETED"));
        assertThat(devices(id).get("car-d-rented").path("state").asText()).isEqualTo("UPDATED");
        assertThat(rented.running()).isEqualTo("0.3.0");
        assertThat(trail()).anyMatch(a -> a.startsWith("ota.device-deferred rollout/" + id + " car/car-d-rented"));

        // a booking that starts within latchkey.ota.booking-lead (2 h) defers the car too
        app.car("acme", operator, "car-d-booked", "d-booked");
        app.device("acme", "d-booked");
        Instant start = app.clock().instant().plus(Duration.ofMinutes(30));
        expect(201, app.http.postJson("/t/acme/bookings", borrower, Map.of("carId", "car-d-booked", "start", start.toString(),
                "end", start.plus(Duration.ofHours(1)).toString())));
        String booked = expect(201, app.http.postJson("/t/acme/rollouts", operator, Map.of("releaseId", releaseId,
                "target", Map.of("cars", List.of("car-d-booked"))))).json().path("id").asText();
        JsonNode held = devices(booked).get("car-d-booked");
        assertThat(held.path("state").asText()).isEqualTo("DEFERRED");
        assertThat(held.path("reason").asText()).startsWith("BOOKED");
        assertThat(state(booked)).isEqualTo("RUNNING");
        expect(200, app.http.postJson("/t/acme/rollouts/" + booked + "/cancel", operator, Map.of()));
    }

    @Test
    void pauseResumeCancel_onlyFromStatesThatAllowThem_andACancelledRolloutOffersNothingMore() throws Exception {
        for (String d : List.of("p-1", "p-2")) {
            app.car("acme", operator, "car-" + d, d);
            app.device("acme", d);
        }
        String id = expect(201, app.http.postJson("/t/acme/rollouts", operator, Map.of("releaseId", releaseId,
                "target", Map.of("cars", List.of("car-p-1", "car-p-2")), "waves", List.of(50, 100), "deviceTimeout", "5m",
                "failureThreshold", 100))).json()
                .path("id").asText();
        assertThat(devices(id).get("car-p-1").path("state").asText()).isEqualTo("OFFERED");
        expect(403, app.http.postJson("/t/acme/rollouts/" + id + "/pause", borrower, Map.of()));
        expect(409, app.http.postJson("/t/acme/rollouts/" + id + "/resume", operator, Map.of()));
        assertThat(expect(200, app.http.postJson("/t/acme/rollouts/" + id + "/pause", operator, Map.of())).json().path("state").asText())
                .isEqualTo("PAUSED");
        expect(409, app.http.postJson("/t/acme/rollouts/" + id + "/pause", operator, Map.of()));
        // paused: no time-out, no next wave
        advance(Duration.ofMinutes(6));
        Thread.sleep(700);
        assertThat(devices(id).get("car-p-1").path("state").asText()).isEqualTo("OFFERED");
        assertThat(devices(id).get("car-p-2").path("state").asText()).isEqualTo("PENDING");
        assertThat(expect(200, app.http.postJson("/t/acme/rollouts/" + id + "/resume", admin, Map.of())).json().path("state").asText())
                .isEqualTo("RUNNING");
        await().atMost(20, TimeUnit.SECONDS).until(() -> devices(id).get("car-p-2").path("state").asText().equals("OFFERED"));
        assertThat(devices(id).get("car-p-1").path("state").asText()).isEqualTo("TIMED_OUT");
        JsonNode cancelled = expect(200, app.http.postJson("/t/acme/rollouts/" + id + "/cancel", operator, Map.of())).json();
        assertThat(cancelled.path("state").asText()).isEqualTo("CANCELLED");
        expect(409, app.http.postJson("/t/acme/rollouts/" + id + "/cancel", operator, Map.of()));
        expect(409, app.http.postJson("/t/acme/rollouts/" + id + "/resume", operator, Map.of()));
        advance(Duration.ofMinutes(6));
        Thread.sleep(700);
        assertThat(devices(id).get("car-p-2").path("state").asText()).isEqualTo("OFFERED");
        expect(404, app.http.get("/t/acme/rollouts/ro-unknown", operator));
        expect(404, app.http.get("/t/globex/rollouts/" + id, app.token("globex", "admin@globex.test")));
        expect(403, app.http.get("/t/acme/rollouts", borrower));
        expect(400, app.http.postJson("/t/acme/rollouts", operator, Map.of("releaseId", releaseId, "target", Map.of("all", true),
                "waves", List.of(50, 40))));
        expect(400, app.http.postJson("/t/acme/rollouts", operator, Map.of("releaseId", "rel-none", "target", Map.of("all", true))));
        expect(400, app.http.postJson("/t/acme/rollouts", operator, Map.of("releaseId", releaseId, "target", Map.of("all", true),
                "deviceTimeout", "soon")));
        expect(400, app.http.postJson("/t/acme/rollouts", operator, Map.of("releaseId", releaseId, "target", Map.of("cars",
                List.of("car-nope")))));
        assertThat(trail()).anyMatch(a -> a.startsWith("ota.rollout-pause rollout/" + id) && a.endsWith("OK"))
                .anyMatch(a -> a.startsWith("ota.rollout-resume rollout/" + id) && a.endsWith("OK"))
                .anyMatch(a -> a.startsWith("ota.rollout-cancel rollout/" + id) && a.endsWith("OK"));
    }

    @Test
    void aForgedStatusIsRefused_andChangesNothing() throws Exception {
        app.car("acme", operator, "car-f-1", "f-1");
        DeviceCredentials device = app.device("acme", "f-1");
        String id = expect(201, app.http.postJson("/t/acme/rollouts", operator, Map.of("releaseId", releaseId,
                "target", Map.of("cars", List.of("car-f-1")), "waves", List.of(100)))).json().path("id").asText();
        OtaStatusListener listener = app.context().getBean(OtaStatusListener.class);
        long refusedBefore = listener.refused();
        URI uri = URI.create(app.mqttUrl());
        Mqtt5AsyncClient client = Mqtt5Client.builder().identifier("acme:f-1").serverHost(uri.getHost()).serverPort(uri.getPort()).buildAsync();
        client.connectWith().simpleAuth().username("acme:f-1").password(device.connectPassword(app.clock().instant())).applySimpleAuth().send()
                .get(10, TimeUnit.SECONDS);
        OtaStatus updated = new OtaStatus(null, null, id, "0.3.0", "0.3.0", OtaState.UPDATED, null, Instant.now());
        // signed by a key that is not the device's
        byte[] forged = SignedOtaStatus.signToWire(updated, "acme", "f-1", new DeviceSigner(DeviceCredentials.newKey().getPrivate()));
        client.publishWith().topic(Topic.of("acme", "f-1", Channel.OTA_STATUS).name()).qos(MqttQos.AT_LEAST_ONCE).payload(forged).send()
                .get(5, TimeUnit.SECONDS);
        // the device's own signature, but unsigned bytes changed
        byte[] genuine = SignedOtaStatus.signToWire(updated, "acme", "f-1", device.signer());
        SignedOtaStatus parsed = Json.read(genuine, SignedOtaStatus.class);
        byte[] changed = Json.write(new SignedOtaStatus(io.latchkey.protocol.Ed25519.base64url(
                Json.write(new OtaStatus("acme", "f-1", id, "0.3.0", "0.3.0", OtaState.FAILED, "x", Instant.now()))), parsed.signature()));
        client.publishWith().topic(Topic.of("acme", "f-1", Channel.OTA_STATUS).name()).qos(MqttQos.AT_LEAST_ONCE).payload(changed).send()
                .get(5, TimeUnit.SECONDS);
        await().atMost(10, TimeUnit.SECONDS).until(() -> listener.refused() >= refusedBefore + 2);
        assertThat(devices(id).get("car-f-1").path("state").asText()).isEqualTo("OFFERED");
        // the genuine one counts
        client.publishWith().topic(Topic.of("acme", "f-1", Channel.OTA_STATUS).name()).qos(MqttQos.AT_LEAST_ONCE).payload(genuine).send()
                .get(5, TimeUnit.SECONDS);
        await().atMost(10, TimeUnit.SECONDS).until(() -> devices(id).get("car-f-1").path("state").asText().equals("UPDATED"));
        client.disconnect().get(5, TimeUnit.SECONDS);
    }

    @Test
    void theBundleDownloads_withTheOffersTicket_andResumesWithRange() throws Exception {
        app.car("acme", operator, "car-r-1", "r-1");
        app.device("acme", "r-1");
        app.car("acme", operator, "car-r-2", "r-2");
        DownloadTickets tickets = app.context().getBean(DownloadTickets.class);
        String url = tickets.url("acme", releaseId, "r-1");
        String path = URI.create(url).getRawPath() + "?" + URI.create(url).getRawQuery();
        Http.Reply whole = app.http.get(path, null);
        assertThat(whole.status()).isEqualTo(200);
        byte[] all = download(path, null);
        assertThat(all).isEqualTo(bundle);
        byte[] rest = download(path, "bytes=100-");
        assertThat(rest).isEqualTo(java.util.Arrays.copyOfRange(bundle, 100, bundle.length));
        var partial = raw(path, "bytes=100-");
        assertThat(partial.getStatus().getCode()).isEqualTo(206);
        assertThat(partial.getHeaders().get("Content-Range")).isEqualTo("bytes 100-" + (bundle.length - 1) + "/" + bundle.length);
        assertThat(raw(path, "bytes=" + bundle.length + "-").getStatus().getCode()).isEqualTo(416);
        // no ticket, another device's ticket, another release, a changed expiry, another tenant
        expect(403, app.http.get(URI.create(url).getRawPath(), null));
        expect(403, app.http.get(path.replace("device=r-1", "device=r-2"), null));
        expect(403, app.http.get(path.replaceAll("expires=\\d+", "expires=99999999999"), null));
        expect(404, app.http.get(path.replace(releaseId, "rel-0000000000000000"), null));
        expect(404, app.http.get(path.replace("/t/acme/", "/t/globex/"), null));
        // a device without an active certificate (never enrolled) gets nothing, even with a ticket
        String unenrolled = tickets.url("acme", releaseId, "r-2");
        expect(403, app.http.get(URI.create(unenrolled).getRawPath() + "?" + URI.create(unenrolled).getRawQuery(), null));
    }

    // ---------------------------------------------------------------- helpers

    /** Moves the backend's clock; access tokens live 15 minutes, so they are fetched again. */
    private void advance(Duration by) {
        app.clock().advance(by);
        admin = app.token("acme", "admin@acme.test");
        operator = app.token("acme", "olga@acme.test");
        borrower = app.token("acme", "bob@acme.test");
    }

    private byte[] download(String path, String range) {
        return raw(path, range).getBody(byte[].class).orElseThrow();
    }

    private io.micronaut.http.HttpResponse<byte[]> raw(String path, String range) {
        if (rawClient == null) {
            try {
                rawClient = app.context().createBean(io.micronaut.http.client.HttpClient.class, app.baseUri().toURL()).toBlocking();
            } catch (java.net.MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }
        var client = rawClient;
        var request = HttpRequest.GET(path);
        if (range != null) {
            request.header("Range", range);
        }
        try {
            return client.exchange(request, byte[].class);
        } catch (io.micronaut.http.client.exceptions.HttpClientResponseException e) {
            @SuppressWarnings("unchecked")
            io.micronaut.http.HttpResponse<byte[]> response = (io.micronaut.http.HttpResponse<byte[]>) e.getResponse();
            return response;
        }
    }

    private OtaAgent agent(String deviceId, Map<String, PublicKey> keys, boolean badBuild) throws Exception {
        app.car("acme", operator, "car-" + deviceId, deviceId);
        OtaAgent agent = new OtaAgent(app, "acme", deviceId, keys, "0.2.0", work.resolve(deviceId), badBuild);
        agents.add(agent);
        return agent;
    }

    private Map<String, PublicKey> pinned() {
        return Map.of("upd-1", updateKey.getPublic());
    }

    private Http.Reply upload(String token, byte[] zip) {
        var request = HttpRequest.POST("/t/acme/releases", zip).contentType(MediaType.of("application/zip"));
        return app.http.send(token == null ? request : request.bearerAuth(token));
    }

    private byte[] bundle(String tenant, String version, String keyId, KeyPair key) throws Exception {
        Path release = Files.createTempDirectory(work, "release");
        Files.writeString(release.resolve("device-agent.jar"), "agent " + version);
        Files.createDirectories(release.resolve("lib"));
        Files.write(release.resolve("lib/protocol.jar"), new byte[4096]);
        Path out = work.resolve("bundle-" + System.nanoTime() + ".zip");
        UpdateBundle.build(release, out, tenant, version, "0.1.0", false, 1, Instant.now(), keyId, key.getPrivate());
        return Files.readAllBytes(out);
    }

    /** The same bundle with one file's bytes changed (the manifest still signed). */
    private static byte[] tampered(byte[] bundle) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(bundle));
             ZipOutputStream zip = new ZipOutputStream(out)) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                byte[] bytes = in.readAllBytes();
                if (e.getName().equals("device-agent.jar")) {
                    bytes = "evil agent".getBytes();
                }
                zip.putNextEntry(new ZipEntry(e.getName()));
                zip.write(bytes);
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private JsonNode rollout(String id) {
        return expect(200, app.http.get("/t/acme/rollouts/" + id, operator)).json();
    }

    private String state(String id) {
        return rollout(id).path("state").asText();
    }

    private Map<String, JsonNode> devices(String id) {
        Map<String, JsonNode> byCar = new HashMap<>();
        expect(200, app.http.get("/t/acme/rollouts/" + id + "/devices", operator)).json().forEach(d -> byCar.put(d.path("carId").asText(), d));
        return byCar;
    }

    private List<String> trail() {
        JsonNode audit = expect(200, app.http.get("/t/acme/audit?limit=1000", admin)).json();
        List<String> trail = new ArrayList<>();
        audit.forEach(r -> trail.add(r.path("action").asText() + " " + r.path("subject").asText() + " " + r.path("outcome").asText()));
        return trail;
    }
}
