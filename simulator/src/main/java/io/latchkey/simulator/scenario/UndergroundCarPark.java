package io.latchkey.simulator.scenario;

import io.latchkey.protocol.Ed25519;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.key.KeyCredential;
import io.latchkey.protocol.key.KeyRight;
import io.latchkey.protocol.key.TenantSigned;
import io.latchkey.simulator.api.ApiException;
import io.latchkey.simulator.api.ApiTypes.AuditRecord;
import io.latchkey.simulator.api.ApiTypes.Booking;
import io.latchkey.simulator.api.ApiTypes.CarDetail;
import io.latchkey.simulator.api.ApiTypes.CommandResponse;
import io.latchkey.simulator.api.ApiTypes.Event;
import io.latchkey.simulator.api.LatchkeyClient;
import io.latchkey.simulator.car.SimulatedCar;
import io.latchkey.simulator.car.VehicleModel;
import io.latchkey.simulator.fleet.Fleet;
import io.latchkey.simulator.net.FleetNetwork;
import io.latchkey.simulator.phone.VirtualPhone;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Issue 14 end to end: a borrower opens the car they booked in an underground car park, where the car has no network,
 * with the offline key on their phone (docs/offline-keys.md). Against the real backend and a simulated car running the
 * real agent behind a {@link FleetNetwork}: the borrower books; their {@link VirtualPhone} generates its key pair and
 * gets a key credential from {@code POST /t/{tenant}/bookings/{id}/keys}; a second phone of theirs gets one too and is
 * reported lost (revoked); a borrower without the booking is refused a key; the car's network is cut (an operator's
 * UNLOCK cannot reach it); the phone, carrying the newest revocation list, unlocks over BLE (the relay moves, the car's
 * signed answer verified), the car is driven and parked, the phone locks it with a QR code; the lost phone and a phone
 * presenting a copied credential with its own key are refused at the car; the network returns and the tenant's audit
 * trail and the car's events show each use, in order and once. The first failed expectation stops the run.
 */
public final class UndergroundCarPark implements AutoCloseable {
    /** How the run went; {@code world} is null when the bootstrap itself failed. */
    public record Result(boolean ok, List<Steps.Step> steps, World world) {
    }

    private static final Duration RENTAL = Duration.ofHours(1);
    private static final Duration DRIVE = Duration.ofSeconds(4);
    private static final String OFFLINE_KEY_USE = "OFFLINE_KEY_USE";

    private final LatchkeyClient api;
    private final PrintStream out;
    private final Clock clock;
    private final RandomGenerator random;
    private final SecureRandom secure = new SecureRandom();
    private FleetNetwork network;
    private Fleet fleet;

    public UndergroundCarPark(LatchkeyClient api, PrintStream out, Clock clock, RandomGenerator random) {
        this.api = Objects.requireNonNull(api, "api");
        this.out = Objects.requireNonNull(out, "out");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    public Result run(TenantBootstrap.Options options) {
        Steps steps = new Steps(out);
        out.println("Latchkey underground-car-park (offline keys) against " + api.baseUrl());
        World world = null;
        try {
            world = new TenantBootstrap(api, steps, clock, random).run(options, this::fleetBehindARelay);
            story(world, steps, options.onlineTimeout());
        } catch (Steps.StepFailed e) {
            out.println();
            out.println("UNDERGROUND-CAR-PARK FAILED: " + e.getMessage());
            return new Result(false, steps.steps(), world);
        }
        out.println();
        out.println("underground-car-park succeeded: " + steps.steps().size() + " steps, all as expected.");
        return new Result(steps.allOk(), steps.steps(), world);
    }

    /** The fleet's cars reach the tenant's broker through a relay, so that one car's network can be cut. */
    private Fleet fleetBehindARelay(io.latchkey.simulator.api.ApiTypes.DeviceDiscovery discovery) {
        URI broker = URI.create(discovery.mqttUrl());
        try {
            network = new FleetNetwork(broker.getHost(), broker.getPort());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the fleet network", e);
        }
        fleet = new Fleet(Fleet.Options.defaults(), network);
        return fleet;
    }

    private void story(World w, Steps steps, Duration wait) {
        String t = w.tenant();
        CarDetail car = w.car(0);
        SimulatedCar simulated = w.simulatedCar(0);

        Booking booking = steps.run("Borrower books " + car.id() + " from now for an hour (POST /bookings)", () -> {
            Instant now = clock.instant();
            Booking b = api.book(w.borrowerToken(), t, car.id(), now, now.plus(RENTAL));
            steps.detail("booking %s: %s .. %s, %s", b.id(), b.start(), b.end(), b.state());
            Steps.check("CONFIRMED".equals(b.state()), "expected the booking CONFIRMED, got %s", b.state());
            return b;
        });

        VirtualPhone phone = new VirtualPhone(secure, clock);
        TenantSigned[] issued = new TenantSigned[1];
        KeyCredential key = steps.run("Borrower's phone makes its key pair and gets a key credential (POST /bookings/{id}/keys)", () -> {
            TenantSigned signed = api.issueKey(w.borrowerToken(), t, booking.id(), phone.publicKey());
            KeyCredential c = credential(signed);
            steps.detail("key %s for car %s (device %s), booking %s, rights %s, %s .. %s, signed by %s", c.keyId(), c.carId(),
                    c.deviceId(), c.bookingId(), c.rights(), c.notBefore(), c.notAfter(), signed.signerKeyId());
            Steps.check(car.id().equals(c.carId()) && car.deviceId().equals(c.deviceId()), "the credential names car %s / device %s",
                    c.carId(), c.deviceId());
            Steps.check(booking.id().equals(c.bookingId()), "the credential names booking %s", c.bookingId());
            Steps.check(phone.publicKey().equals(c.holder().publicKey()), "the credential holds another public key than the phone's");
            Steps.check(c.rights().contains(KeyRight.UNLOCK) && c.rights().contains(KeyRight.LOCK),
                    "expected UNLOCK and LOCK among the rights, got %s", c.rights());
            phone.store(signed);
            issued[0] = signed;
            return c;
        });

        VirtualPhone lostPhone = new VirtualPhone(secure, clock);
        KeyCredential lostKey = steps.run("Borrower's second phone gets a key too, then is reported lost (POST /keys/{keyId}/revoke)", () -> {
            TenantSigned signed = api.issueKey(w.borrowerToken(), t, booking.id(), lostPhone.publicKey());
            lostPhone.store(signed);
            KeyCredential c = credential(signed);
            Steps.check(!c.keyId().equals(key.keyId()), "the second phone got the first phone's key id");
            api.revokeKey(w.borrowerToken(), t, c.keyId());
            steps.detail("key %s issued to the second phone and revoked", c.keyId());
            return c;
        });

        steps.run("A borrower without the booking asks for a key to it: refused", () -> {
            VirtualPhone strangers = new VirtualPhone(secure, clock);
            try {
                api.issueKey(w.strangerToken(), t, booking.id(), strangers.publicKey());
            } catch (ApiException e) {
                steps.detail("HTTP %d", e.status());
                Steps.check(e.status() == 403, "expected HTTP 403, got %d %s", e.status(), e.body());
                return;
            }
            throw new Steps.StepFailed("a borrower without the booking was issued a key to it");
        });

        long serial = steps.run("Borrower's phone fetches the newest revocation list to carry (GET /keys/revocations)", () -> {
            TenantSigned list = api.keyRevocations(w.borrowerToken(), t);
            @SuppressWarnings("unchecked")
            Map<String, Object> doc = Json.read(Ed25519.fromBase64url(list.document()), Map.class);
            Object entries = doc.get("entries");
            Steps.check(entries instanceof List<?> l && l.stream().anyMatch(e -> e instanceof Map<?, ?> m
                    && lostKey.keyId().equals(m.get("keyId"))), "the revocation list does not name the lost phone's key %s: %s",
                    lostKey.keyId(), entries);
            phone.carry(list);
            long s = ((Number) doc.get("serial")).longValue();
            steps.detail("list serial %d names %s", s, lostKey.keyId());
            return s;
        });

        steps.run("The car is parked underground: its network is cut", () -> {
            fleet.disconnect(car.deviceId());
            Polling.until(wait, () -> Boolean.FALSE.equals(api.car(w.operatorToken(), t, car.id()).state().online()),
                    "the operator still sees " + car.id() + " online");
            steps.detail("the operator sees %s offline", car.id());
            long relayBefore = simulated.unlockActivations();
            CommandResponse r = api.command(w.borrowerToken(), t, car.id(), "UNLOCK");
            steps.detail("an UNLOCK through the cloud: HTTP %d", r.status());
            Steps.check(r.status() == 504 || r.status() == 503, "expected the cloud's UNLOCK to time out (504), got %d", r.status());
            Steps.check(simulated.unlockActivations() == relayBefore && simulated.isLocked(), "the car opened from the cloud while offline");
        });

        steps.run("Borrower unlocks by BLE with no network: the relay moves, the phone verifies the car's signed answer", () -> {
            long relayBefore = simulated.unlockActivations();
            VirtualPhone.Answer a = phone.overBle(simulated.ble(), KeyRight.UNLOCK);
            steps.detail("the car answers %s%s, lock state %s, counter %s; signature %s", a.result().outcome(),
                    a.result().reason() == null ? "" : " " + a.result().reason(), a.result().lockState(), a.result().counter(),
                    a.genuine() ? "the car's, over this challenge" : "NOT the car's");
            Steps.check(a.executed(), "expected a genuine EXECUTED answer, got %s (genuine %s)", a.result(), a.genuine());
            Steps.check(simulated.unlockActivations() == relayBefore + 1, "expected the unlock relay to fire once, it fired %d time(s)",
                    simulated.unlockActivations() - relayBefore);
            Steps.check(!simulated.isLocked(), "the car's feedback still reads locked");
            steps.detail("unlock relay energised once; the car reads unlocked (the phone carried revocation list %d)", serial);
        });

        steps.run("Borrower drives out and back, parks, ignition off (the car journals its telemetry)", () -> {
            double odoBefore = simulated.odometerKm();
            simulated.openDoor(VehicleModel.Door.DRIVER);
            simulated.closeDoor(VehicleModel.Door.DRIVER);
            Steps.check(simulated.ignition(true), "the ignition did not come on (key not in its holder?)");
            simulated.drive(30);
            sleep(DRIVE);
            simulated.drive(0);
            Polling.until(Duration.ofSeconds(20), () -> simulated.speedKmh() == 0, "the car did not come to a stop");
            simulated.ignition(false);
            simulated.openDoor(VehicleModel.Door.DRIVER);
            simulated.closeDoor(VehicleModel.Door.DRIVER);
            double driven = simulated.odometerKm() - odoBefore;
            Steps.check(driven > 0, "the simulated car did not move");
            steps.detail("drove %.0f m, parked, got out and closed the door", driven * 1000);
        });

        steps.run("Borrower locks with the phone's QR code at the windscreen scanner", () -> {
            long locksBefore = simulated.lockActivations();
            phone.showQr(simulated.scanner(), KeyRight.LOCK);
            Polling.until(Duration.ofSeconds(5), simulated::isLocked, "the car did not lock after the QR code");
            Steps.check(simulated.lockActivations() == locksBefore + 1, "expected the lock relay to fire once, it fired %d time(s)",
                    simulated.lockActivations() - locksBefore);
            steps.detail("lock relay energised once; the car reads locked");
        });

        steps.run("The lost phone tries to unlock by BLE: refused, its key is revoked", () -> {
            long relayBefore = simulated.unlockActivations();
            VirtualPhone.Answer a = lostPhone.overBle(simulated.ble(), KeyRight.UNLOCK);
            steps.detail("the car answers %s %s", a.result().outcome(), a.result().reason());
            Steps.check(!"EXECUTED".equals(a.result().outcome()), "the car opened for a revoked key");
            Steps.check("REVOKED".equals(a.result().reason()), "expected the reason REVOKED, got %s", a.result().reason());
            Steps.check(simulated.unlockActivations() == relayBefore && simulated.isLocked(), "the car opened");
        });

        steps.run("A stranger's phone presents a copy of the borrower's credential with its own key: refused", () -> {
            VirtualPhone thief = new VirtualPhone(secure, clock);
            thief.store(issued[0]);
            long relayBefore = simulated.unlockActivations();
            VirtualPhone.Answer a = thief.overBle(simulated.ble(), KeyRight.UNLOCK);
            steps.detail("the car answers %s %s", a.result().outcome(), a.result().reason());
            Steps.check(!"EXECUTED".equals(a.result().outcome()), "the car opened for a phone that does not hold the key");
            Steps.check("BAD_HOLDER_SIGNATURE".equals(a.result().reason()), "expected the reason BAD_HOLDER_SIGNATURE, got %s",
                    a.result().reason());
            Steps.check(simulated.unlockActivations() == relayBefore && simulated.isLocked(), "the car opened");
        });

        steps.run("The network returns: the car reconnects", () -> {
            fleet.reconnect(car.deviceId());
            Polling.until(wait, () -> Boolean.TRUE.equals(api.car(w.operatorToken(), t, car.id()).state().online()),
                    "the operator does not see " + car.id() + " online again");
            steps.detail("the operator sees %s online", car.id());
        });

        List<Event> events = steps.run("The car's history lists each offline use (GET /events?carId=&type=OFFLINE_KEY_USE)", () -> {
            Polling.until(wait, () -> offlineUses(w, car).size() >= 4, "the car's four offline uses did not reach its history");
            List<Event> uses = offlineUses(w, car);
            for (Event e : uses) {
                steps.detail("%s %s %-6s via %-3s %s%s, key %s, car time %s (%s)", e.id(), e.at(),
                        Objects.requireNonNullElse(e.details().get("action"), "(none)"),
                        e.details().get("channel"), e.details().get("outcome"),
                        e.details().get("reason") == null ? "" : " " + e.details().get("reason"), e.details().get("keyId"),
                        e.details().get("carTime"), e.details().get("timeConfidence"));
            }
            Steps.check(uses.size() == 4, "expected 4 offline uses in the car's history, got %d", uses.size());
            expect(uses.get(0), key.keyId(), "UNLOCK", "BLE", "EXECUTED", null);
            expect(uses.get(1), key.keyId(), "LOCK", "QR", "EXECUTED", null);
            expect(uses.get(2), lostKey.keyId(), null, "BLE", "REJECTED", "REVOKED");
            expect(uses.get(3), key.keyId(), "UNLOCK", "BLE", "REJECTED", "BAD_HOLDER_SIGNATURE");
            return uses;
        });

        steps.run("The tenant's audit trail shows each offline use with the holder as actor, in order and once", () -> {
            String holder = key.holder().userId();
            Polling.until(wait, () -> auditedUses(w, car).size() >= 4, "the offline uses did not reach the audit trail");
            sleep(Duration.ofSeconds(1)); // a duplicate would arrive now
            List<AuditRecord> audited = auditedUses(w, car);
            for (AuditRecord r : audited) {
                steps.detail("#%d %s %s by %s: %s  [%s]", r.index(), r.time(), r.action(), r.actor(), r.outcome(), r.subject());
            }
            List<String> seen = audited.stream().map(r -> r.action() + " " + r.outcome() + " " + r.actor()).toList();
            // the lost phone's hello was refused before it named an action and before its holder was believed: the car
            // is the actor of that record
            List<String> expected = List.of("car.offline-key.unlock EXECUTED " + holder, "car.offline-key.lock EXECUTED " + holder,
                    "car.offline-key.present REJECTED_REVOKED car:" + car.id(),
                    "car.offline-key.unlock REJECTED_BAD_HOLDER_SIGNATURE " + holder);
            Steps.check(seen.equals(expected), "expected the audit trail %s, got %s", expected, seen);
            // each audit record names the car's event it comes from, once
            List<String> ids = new ArrayList<>();
            for (AuditRecord r : audited) {
                String id = events.stream().map(Event::id).filter(e -> r.subject().contains("event/" + e)).findFirst().orElse(null);
                Steps.check(id != null, "audit record #%d names no event of the car's history: %s", r.index(), r.subject());
                Steps.check(!ids.contains(id), "event %s is audited twice", id);
                ids.add(id);
            }
            steps.detail("the lost phone's refused hello named no action: it is in the car's history, not the audit trail");
        });
    }

    private List<Event> offlineUses(World w, CarDetail car) {
        List<Event> newestFirst = api.events(w.operatorToken(), w.tenant(), car.id(), OFFLINE_KEY_USE, 50).events();
        List<Event> oldestFirst = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(oldestFirst);
        // the history orders by the millisecond and then by id; uses in one millisecond (the simulator's phones are
        // that quick) are put in the car's order by the car's own time of each, which it records to the nanosecond
        oldestFirst.sort(java.util.Comparator.comparing(UndergroundCarPark::carTime));
        return oldestFirst;
    }

    /** When the car says the use happened (its own clock, to the nanosecond), else the event's time. */
    private static java.time.Instant carTime(Event e) {
        Object carTime = e.details() == null ? null : e.details().get("carTime");
        return carTime == null ? e.at() : java.time.Instant.parse(carTime.toString());
    }

    private List<AuditRecord> auditedUses(World w, CarDetail car) {
        return api.audit(w.adminToken(), w.tenant(), "car.offline-key", 100).stream()
                .filter(r -> r.subject() != null && r.subject().startsWith("car/" + car.id() + " ")).toList();
    }

    private static void expect(Event e, String keyId, String action, String channel, String outcome, String reason) {
        Map<String, Object> d = e.details();
        Steps.check(Objects.equals(keyId, d.get("keyId")) && Objects.equals(action, d.get("action"))
                        && Objects.equals(channel, d.get("channel")) && Objects.equals(outcome, d.get("outcome"))
                        && Objects.equals(reason, d.get("reason")),
                "expected event %s to be key %s %s via %s %s %s, got %s", e.id(), keyId, action, channel, outcome, reason, d);
    }

    private static KeyCredential credential(TenantSigned signed) {
        return Json.read(Ed25519.fromBase64url(signed.document()), KeyCredential.class);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Steps.StepFailed("interrupted");
        }
    }

    @Override
    public void close() {
        if (fleet != null) {
            fleet.close();
        }
        if (network != null) {
            network.close();
        }
    }
}
