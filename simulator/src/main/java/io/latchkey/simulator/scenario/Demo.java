package io.latchkey.simulator.scenario;

import io.latchkey.simulator.api.ApiTypes.AvailableCar;
import io.latchkey.simulator.api.ApiTypes.Booking;
import io.latchkey.simulator.api.ApiTypes.BookingTrips;
import io.latchkey.simulator.api.ApiTypes.CarDetail;
import io.latchkey.simulator.api.ApiTypes.EndAnswer;
import io.latchkey.simulator.api.ApiTypes.Receipt;
import io.latchkey.simulator.api.ApiTypes.Trip;
import io.latchkey.simulator.api.OutboxFile;
import io.latchkey.simulator.car.VehicleModel;
import io.latchkey.simulator.mail.DemoMailbox;
import io.latchkey.simulator.route.GeoPoint;
import java.nio.file.Path;
import java.util.Objects;
import io.latchkey.simulator.api.ApiTypes.CarState;
import io.latchkey.simulator.api.ApiTypes.CommandResponse;
import io.latchkey.simulator.api.ApiTypes.TelemetryRecord;
import io.latchkey.simulator.api.LatchkeyClient;
import io.latchkey.simulator.car.SimulatedCar;
import io.latchkey.simulator.fleet.Fleet;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The rental life cycle, end to end over the public API and real MQTT: bootstrap a tenant and a fleet
 * ({@link TenantBootstrap}); the borrower finds the nearest free car, books it, unlocks it (the rental
 * starts), drives a short trip on the simulated car, tries to end the rental with a door open (the car
 * refuses and says why), closes it and ends it (the car locks itself, the booking ends); then the trip
 * receipt, the receipt mail the borrower received (over SMTP in the demo's own mailbox, when the backend mails to
 * one; otherwise seen queued and sealed in the backend's outbox when its data directory is known), the borrower
 * locked out again, the operator's view of state and telemetry, and a borrower
 * without a booking refused. Each step checks what it must (answers, booking states, relay activations
 * and lock feedback on the simulated car) and the first failure stops the run.
 */
public final class Demo {
    /** How the run went; {@code world} is null when the bootstrap itself failed. */
    public record Result(boolean ok, List<Steps.Step> steps, World world) {
    }

    private final LatchkeyClient api;
    private final PrintStream out;
    private final Clock clock;
    private final RandomGenerator random;
    private final OutboxFile outbox;
    private final DemoMailbox mailbox;

    private static final Duration RENTAL = Duration.ofHours(1);
    private static final Duration DRIVE = Duration.ofSeconds(6);
    /** How the backend's receipt mail's subject begins (cloud-api RentalMessages). */
    private static final String RECEIPT_SUBJECT = "Rental receipt: ";
    private static final GeoPoint HERE = new GeoPoint(52.5200, 13.4050);

    public Demo(LatchkeyClient api, PrintStream out, Clock clock, RandomGenerator random) {
        this(api, out, clock, random, null);
    }

    /** @param backendDataDir the backend's data directory, to see the borrower's mail queued in its outbox (null: not shown) */
    public Demo(LatchkeyClient api, PrintStream out, Clock clock, RandomGenerator random, Path backendDataDir) {
        this(api, out, clock, random, backendDataDir, null);
    }

    /**
     * @param backendDataDir the backend's data directory, to see the borrower's mail queued in its outbox when there is
     *                       no {@code mailbox} (null: not shown)
     * @param mailbox        the SMTP server the backend mails to ({@code latchkey.mail.smtp.*}), to show the receipt mail
     *                       the borrower received (null: the outbox, as above)
     */
    public Demo(LatchkeyClient api, PrintStream out, Clock clock, RandomGenerator random, Path backendDataDir, DemoMailbox mailbox) {
        this.api = api;
        this.out = out;
        this.clock = clock;
        this.random = random;
        this.outbox = backendDataDir == null ? null : new OutboxFile(backendDataDir);
        this.mailbox = mailbox;
    }

    public Result run(TenantBootstrap.Options options, Fleet fleet) {
        Steps steps = new Steps(out);
        out.println("Latchkey demo against " + api.baseUrl());
        World world = null;
        try {
            world = new TenantBootstrap(api, steps, clock, random).run(options, fleet);
            story(world, steps, options.onlineTimeout());
        } catch (Steps.StepFailed e) {
            out.println();
            out.println("DEMO FAILED: " + e.getMessage());
            return new Result(false, steps.steps(), world);
        }
        out.println();
        out.println("Demo succeeded: " + steps.steps().size() + " steps, all as expected.");
        printAddresses(world);
        return new Result(steps.allOk(), steps.steps(), world);
    }

    /** Where a person points the browser next: the operator console and the borrower app, and whom to sign in as (made up for this run). */
    private void printAddresses(World w) {
        String base = api.baseUrl().replaceAll("/+$", "");
        out.println();
        out.println("Operator console: " + base + "/t/" + w.tenant() + "/console/");
        out.println("  sign in as " + w.operatorSignIn().email() + " with the password " + w.operatorSignIn().password()
                + " (made up for this demo run)");
        out.println("Borrower app: " + base + "/t/" + w.tenant() + "/app/");
        out.println("  sign in as " + w.borrowerSignIn().email() + " with the password " + w.borrowerSignIn().password()
                + " (made up for this demo run)");
    }

    private void story(World w, Steps steps, Duration wait) {
        AvailableCar chosen = findAFreeCar(w, steps);
        int index = w.indexOf(chosen.id());
        CarDetail car = w.car(index);
        SimulatedCar simulated = w.simulatedCar(index);
        Booking booking = book(w, steps, car);
        unlockStartsTheRental(w, steps, wait, car, simulated, booking);
        double driven = driveATrip(w, steps, wait, car, simulated, booking);
        EndAnswer ended = returnTheCar(w, steps, wait, car, simulated, booking);
        receipt(w, steps, ended.booking(), ended.receipt(), driven, wait);
        borrowerIsDoneWithTheCar(w, steps, car, simulated);
        readTelemetry(w, steps, wait, car);
        strangerIsRefused(w, steps, car, simulated);
    }

    private AvailableCar findAFreeCar(World w, Steps steps) {
        return steps.run("Borrower looks for a free car near them for the next hour (GET /cars/available)", () -> {
            Instant now = clock.instant();
            List<AvailableCar> free = api.availableCars(w.borrowerToken(), w.tenant(), now, now.plus(RENTAL), HERE, 5_000);
            Steps.check(!free.isEmpty(), "no car is offered, although none is booked");
            Steps.check(free.size() == w.cars().size(), "expected all %d cars offered, got %d", w.cars().size(), free.size());
            for (AvailableCar c : free) {
                steps.detail("%-10s %-8s plate %-10s %s m away, %s", c.id(), c.name(), c.plate(),
                        c.distanceM() == null ? "?" : c.distanceM(), Boolean.TRUE.equals(c.online()) ? "online" : "offline");
            }
            AvailableCar nearest = free.get(0);
            Steps.check(w.indexOf(nearest.id()) >= 0, "the API offers a car the demo did not register: %s", nearest.id());
            steps.detail("takes the nearest: %s", nearest.id());
            return nearest;
        });
    }

    private Booking book(World w, Steps steps, CarDetail car) {
        return steps.run("Borrower books " + car.id() + " from now for an hour (POST /bookings)", () -> {
            Instant now = clock.instant();
            Booking b = api.book(w.borrowerToken(), w.tenant(), car.id(), now, now.plus(RENTAL));
            steps.detail("booking %s: %s .. %s, %s", b.id(), b.start(), b.end(), b.state());
            Steps.check("CONFIRMED".equals(b.state()), "expected the booking CONFIRMED, got %s", b.state());
            Instant later = clock.instant();
            List<AvailableCar> free = api.availableCars(w.borrowerToken(), w.tenant(), later, later.plus(RENTAL), null, null);
            Steps.check(free.stream().noneMatch(c -> c.id().equals(car.id())), "%s is still offered as free", car.id());
            steps.detail("%s is no longer offered; %d other car(s) are", car.id(), free.size());
            return b;
        });
    }

    private void unlockStartsTheRental(World w, Steps steps, Duration wait, CarDetail car, SimulatedCar simulated, Booking b) {
        String t = w.tenant();
        steps.run("Borrower UNLOCKs " + car.id() + " at the car: the rental starts", () -> {
            long relayBefore = simulated.unlockActivations();
            CommandResponse r = api.command(w.borrowerToken(), t, car.id(), "UNLOCK");
            printCommand(steps, r);
            Steps.check(r.status() == 200, "expected HTTP 200, got %d %s", r.status(), body(r));
            Steps.check(r.executed(), "expected outcome EXECUTED, got %s", r.result().outcome());
            Steps.check(r.result().lockState() == io.latchkey.protocol.LockState.UNLOCKED,
                    "expected lock state UNLOCKED, got %s", r.result().lockState());
            Steps.check(simulated.unlockActivations() == relayBefore + 1, "expected the unlock relay to fire once, it fired %d time(s)",
                    simulated.unlockActivations() - relayBefore);
            Steps.check(!simulated.isLocked(), "the simulated car's feedback still reads locked");
            steps.detail("unlock relay energised once; the car's feedback contact reads unlocked");
            Polling.until(wait, () -> "ACTIVE".equals(api.booking(w.borrowerToken(), t, b.id()).state()),
                    "booking " + b.id() + " did not become ACTIVE");
            Booking active = api.booking(w.borrowerToken(), t, b.id());
            steps.detail("booking %s is %s since %s", active.id(), active.state(), active.startedAt());
        });
    }

    /** Returns the distance the simulated car's odometer counted, in km. */
    private double driveATrip(World w, Steps steps, Duration wait, CarDetail car, SimulatedCar simulated, Booking b) {
        return steps.run("Borrower drives a short trip and parks (the car reports as it goes)", () -> {
            double odoBefore = simulated.odometerKm();
            simulated.openDoor(VehicleModel.Door.DRIVER);
            simulated.closeDoor(VehicleModel.Door.DRIVER);
            Steps.check(simulated.ignition(true), "the ignition did not come on (key not in its holder?)");
            simulated.drive(45);
            sleep(DRIVE);
            simulated.drive(0);
            Polling.until(Duration.ofSeconds(20), () -> simulated.speedKmh() == 0, "the car did not come to a stop");
            simulated.ignition(false);
            double driven = simulated.odometerKm() - odoBefore;
            Steps.check(driven > 0, "the simulated car did not move");
            steps.detail("drove %.0f m at up to 45 km/h, parked, ignition off", driven * 1000);
            Polling.until(wait, () -> {
                var trips = api.bookingTrips(w.borrowerToken(), w.tenant(), b.id()).totals().trips();
                return !trips.isEmpty() && trips.stream().noneMatch(Trip::isOngoing);
            }, "the trip did not reach the backend as a finished trip");
            for (Trip trip : api.trips(w.operatorToken(), w.tenant(), car.id(), 5).trips()) {
                steps.detail("trip %s: %s .. %s, %s (GPS %.2f km), %d s, max %.0f km/h, ended by %s", trip.id(),
                        trip.startTime(), trip.endTime(), trip.distanceKm() == null ? "no odometer"
                                : String.format("odometer %.2f km", trip.distanceKm()), nz(trip.gpsDistanceKm()),
                        trip.durationS() == null ? -1 : trip.durationS(), nz(trip.maxSpeedKmh()), trip.endReason());
            }
            return driven;
        });
    }

    private EndAnswer returnTheCar(World w, Steps steps, Duration wait, CarDetail car, SimulatedCar simulated, Booking b) {
        String t = w.tenant();
        VehicleModel.Door door = simulated.aDoorItSees();
        String doorWords = door == VehicleModel.Door.REAR_LEFT ? "rear left" : "front passenger";
        steps.run("Borrower gets out, leaves the " + doorWords + " door open and tries to end the rental (POST /bookings/{id}/end)", () -> {
            simulated.openDoor(VehicleModel.Door.DRIVER);
            simulated.openDoor(door);
            simulated.closeDoor(VehicleModel.Door.DRIVER);
            long locksBefore = simulated.lockActivations();
            EndAnswer refused = api.endBooking(w.borrowerToken(), t, b.id());
            Steps.check(refused.isRefusedByTheCar(), "expected 200 {\"ended\":false,...}, got %d %s", refused.status(),
                    refused.problem() != null ? refused.problem() : refused);
            steps.detail("the car refuses: %s", refused.failed());
            Steps.check(refused.failed() != null && refused.failed().contains("DOOR_OPEN: " + doorWords),
                    "expected the failed checks to name the open %s door, got %s", doorWords, refused.failed());
            Steps.check(!simulated.isLocked() && simulated.lockActivations() == locksBefore, "the car locked although it refused");
            Booking still = api.booking(w.borrowerToken(), t, b.id());
            Steps.check("ACTIVE".equals(still.state()), "expected the booking still ACTIVE, got %s", still.state());
            steps.detail("nothing changed: booking %s, car unlocked", still.state());
        });
        return steps.run("Borrower closes the door and ends the rental: the car checks itself and locks", () -> {
            simulated.closeDoor(door);
            long locksBefore = simulated.lockActivations();
            EndAnswer ended = api.endBooking(w.borrowerToken(), t, b.id());
            Steps.check(ended.isEnded(), "expected 200 {\"ended\":true,...}, got %d %s", ended.status(),
                    ended.problem() != null ? ended.problem() : ended);
            Steps.check(ended.booking() != null && "ENDED".equals(ended.booking().state()),
                    "expected the booking ENDED, got %s", ended.booking());
            Steps.check(simulated.isLocked(), "the simulated car's feedback does not read locked");
            Steps.check(simulated.lockActivations() == locksBefore + 1, "expected the lock relay to fire once, it fired %d time(s)",
                    simulated.lockActivations() - locksBefore);
            steps.detail("booking %s %s at %s; the lock relay fired once and the car reads locked", ended.booking().id(),
                    ended.booking().state(), ended.booking().endedAt());
            CarState s = awaitLockState(w, car, io.latchkey.protocol.LockState.LOCKED, wait);
            steps.detail("the operator sees the car %s, doors open %s, ignition %s", s.lockState(), s.doorsOpen(), s.ignition());
            return ended;
        });
    }

    private void receipt(World w, Steps steps, Booking ended, Receipt r, double drivenKm, Duration wait) {
        steps.run("The trip receipt", () -> {
            Steps.check(r != null, "the end answer carries no receipt");
            steps.detail("%s: %d trip(s), %.2f km (%s), rental %s (driving %s), max %.0f km/h%s", r.car(),
                    r.tripCount() == null ? 0 : r.tripCount(), nz(r.distanceKm()),
                    r.distanceSource() == null ? "no trips" : "by " + r.distanceSource(),
                    duration(r.durationS()),
                    duration(r.drivingS()), nz(r.maxSpeedKmh()),
                    r.fuelUsedPct() != null ? String.format(", fuel used %.1f %%", r.fuelUsedPct())
                            : r.socUsedPct() != null ? String.format(", charge used %.1f %%", r.socUsedPct()) : "");
            Steps.check(r.tripCount() != null && r.tripCount() >= 1, "expected at least one trip on the receipt, got %s", r.tripCount());
            Steps.check(r.durationS() != null && r.durationS() > 0 && r.drivingS() != null && r.drivingS() > 0
                    && r.drivingS() <= r.durationS(), "expected a rental and a driving time, got %s and %s", r.durationS(), r.drivingS());
            BookingTrips trips = api.bookingTrips(w.borrowerToken(), w.tenant(), ended.id());
            Steps.check(Objects.equals(trips.totals().count(), r.tripCount()), "GET /bookings/{id}/trips counts %s trip(s), the receipt %s",
                    trips.totals().count(), r.tripCount());
            Steps.check(r.distanceKm() != null && Objects.equals(trips.totals().distanceKm(), r.distanceKm()),
                    "the receipt's distance %s km is not the trips' %s km", r.distanceKm(), trips.totals().distanceKm());
            // The odometer on the bus counts in whole km (Ford) or 0.1 km (Hyundai); the GPS path is the fine check.
            double gps = trips.totals().trips().stream().mapToDouble(t -> nz0(t.gpsDistanceKm())).sum();
            Steps.check(Math.abs(gps - drivenKm) <= 0.02 + drivenKm * 0.3,
                    "the trip's GPS path is %.3f km, the simulated car drove %.3f km", gps, drivenKm);
            double odometer = trips.totals().trips().stream().mapToDouble(t -> nz0(t.distanceKm())).sum();
            steps.detail("the simulated car drove %.0f m; its trip's GPS path %.0f m, its odometer (as the car reports it) %.1f km;"
                    + " the receipt shows %.2f km by %s", drivenKm * 1000, gps * 1000, odometer, nz(r.distanceKm()), r.distanceSource());
        });
        if (mailbox != null) {
            receivedMail(w, steps, ended, r, wait);
            return;
        }
        steps.run("The message queued for the borrower (the backend's outbox, sealed at rest)", () -> {
            if (outbox == null) {
                steps.detail("not shown: the backend's data directory is not known to the demo (--backend-data-dir)");
                return;
            }
            OutboxFile.Queued[] found = new OutboxFile.Queued[1];
            Polling.until(wait, () -> {
                List<OutboxFile.Queued> queued = outbox.messagesFor(w.tenant(), ended.userId());
                for (int i = queued.size() - 1; i >= 0; i--) {
                    OutboxFile.Queued m = queued.get(i);
                    if (m.kind().contains("receipt") && m.createdAt() != null && !m.createdAt().isBefore(ended.start())) {
                        found[0] = m;
                        return true;
                    }
                }
                return false;
            }, "no receipt queued for the borrower of " + ended.id());
            OutboxFile.Queued m = found[0];
            steps.detail("%s for user %s, queued at %s; its address, subject and body are sealed under the borrower's data key"
                    + " (docs/security.md, personal data at rest): the backend mails it when an SMTP relay is configured"
                    + " (latchkey.mail.smtp.host)", m.kind(), m.userId(), m.createdAt());
            Steps.check(m.sealed(), "the message's personal part is in clear in the outbox");
        });
    }

    /** The receipt as the borrower's mail program shows it: what the backend mailed over SMTP to the demo's mailbox. */
    private void receivedMail(World w, Steps steps, Booking ended, Receipt r, Duration wait) {
        String to = w.borrowerSignIn().email();
        steps.run("The receipt mail the borrower received (SMTP, the demo's mailbox on " + DemoMailbox.HOST + ":" + mailbox.port() + ")", () -> {
            // the receipt, not the booking's confirmation that went to the same address before
            Optional<DemoMailbox.Mail> received = mailbox.await(m -> m.to().stream().anyMatch(to::equalsIgnoreCase)
                    && m.subject() != null && m.subject().startsWith(RECEIPT_SUBJECT) && m.text() != null && m.text().contains(ended.id()), wait);
            Steps.check(received.isPresent(), "no receipt for booking %s reached %s within %s (%d message(s) in the mailbox)",
                    ended.id(), to, wait, mailbox.received().size());
            DemoMailbox.Mail m = received.get();
            List<String> all = mailbox.received().stream().filter(x -> x.to().stream().anyMatch(to::equalsIgnoreCase))
                    .map(x -> "\"" + x.subject() + "\"").toList();
            steps.detail("the borrower's mailbox holds %d message(s): %s", all.size(), String.join(", ", all));
            steps.detail("from %s to %s, sent %s, Message-ID %s", m.from(), to, m.sent(), m.messageId());
            steps.detail("subject: \"%s\"", m.subject());
            for (String line : m.lines()) {
                if (!line.isBlank()) {
                    steps.detail("  | %s", line);
                }
            }
            String km = String.format(Locale.ROOT, "%.1f", nz(r.distanceKm()));
            Steps.check(m.subject() != null && m.subject().contains(r.car()) && m.subject().contains(km + " km"),
                    "the subject does not name the car %s and the receipt's distance %s km: \"%s\"", r.car(), km, m.subject());
            Steps.check(m.lines().stream().anyMatch(l -> l.contains(r.car()) && l.contains(ended.id())),
                    "no line names the car %s and the booking %s", r.car(), ended.id());
            Steps.check(m.line("Started:").map(Demo::instant).filter(r.startedAt()::equals).isPresent(),
                    "the mail's start %s is not the receipt's %s", m.line("Started:").orElse("(none)"), r.startedAt());
            Steps.check(m.line("Ended:").map(Demo::instant).filter(r.endedAt()::equals).isPresent(),
                    "the mail's end %s is not the receipt's %s", m.line("Ended:").orElse("(none)"), r.endedAt());
            String distance = km + " km in " + r.tripCount() + (Objects.equals(r.tripCount(), 1) ? " trip" : " trips");
            Steps.check(m.line("Distance:").filter(d -> d.startsWith(distance)).isPresent(),
                    "the mail's distance %s is not the receipt's %s", m.line("Distance:").orElse("(none)"), distance);
            steps.detail("car, times and distance are the receipt's");
            if (outbox != null) {
                // sealed at rest while queued, gone from the backend's disk once the relay took it
                Polling.until(wait, () -> outbox.messagesFor(w.tenant(), ended.userId()).stream()
                                .noneMatch(q -> q.kind().contains("receipt")),
                        "the delivered receipt is still in the backend's outbox");
                steps.detail("the backend's outbox no longer holds it: a message stays there, sealed under the borrower's data key,"
                        + " only until the relay took it");
            }
        });
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private void borrowerIsDoneWithTheCar(World w, Steps steps, CarDetail car, SimulatedCar simulated) {
        steps.run("After the end the borrower can no longer UNLOCK " + car.id(), () -> {
            long relayBefore = simulated.unlockActivations();
            CommandResponse r = api.command(w.borrowerToken(), w.tenant(), car.id(), "UNLOCK");
            steps.detail("HTTP %d %s", r.status(), body(r));
            Steps.check(r.status() == 403, "expected HTTP 403, got %d", r.status());
            Steps.check(simulated.unlockActivations() == relayBefore && simulated.isLocked(), "the car opened");
        });
    }

    private void readTelemetry(World w, Steps steps, Duration wait, CarDetail car) {
        String t = w.tenant();
        steps.run("Operator reads the car's state and recent telemetry", () -> {
            CarState s = awaitLockState(w, car, io.latchkey.protocol.LockState.LOCKED, wait);
            printState(steps, s);
            Polling.until(wait, () -> !api.telemetry(w.operatorToken(), t, car.id(), 5).isEmpty(),
                    "no telemetry stored for " + car.id());
            List<TelemetryRecord> recent = api.telemetry(w.operatorToken(), t, car.id(), 5);
            steps.detail("last %d telemetry record(s), oldest first:", recent.size());
            for (TelemetryRecord r : recent) {
                steps.detail("  seq %-4d %s  %-8s %-9s lat %.5f lon %.5f  %.1f km/h  odo %s", r.seq(), r.time(),
                        r.reason(), r.lockState(), nz(r.lat()), nz(r.lon()), nz(r.speedKmh()), km(r.odometerKm()));
            }
        });
    }

    private void strangerIsRefused(World w, Steps steps, CarDetail car, SimulatedCar simulated) {
        String t = w.tenant();
        steps.run("A borrower WITHOUT a booking tries to UNLOCK " + car.id(), () -> {
            long relayBefore = simulated.unlockActivations();
            CommandResponse r = api.command(w.strangerToken(), t, car.id(), "UNLOCK");
            steps.detail("HTTP %d %s", r.status(), body(r));
            Steps.check(r.status() == 403, "expected HTTP 403, got %d", r.status());
            Steps.check(simulated.unlockActivations() == relayBefore, "the unlock relay fired although the request was refused");
            Steps.check(simulated.isLocked(), "the car is no longer locked");
            steps.detail("refused as it should be; the car stayed locked");
        });
    }

    private CarState awaitLockState(World w, CarDetail car, io.latchkey.protocol.LockState expected, Duration wait) {
        Polling.until(wait, () -> {
            CarState s = api.car(w.operatorToken(), w.tenant(), car.id()).state();
            return s != null && s.lockState() == expected;
        }, "operator does not see " + car.id() + " " + expected);
        return api.car(w.operatorToken(), w.tenant(), car.id()).state();
    }

    private static void printCommand(Steps steps, CommandResponse r) {
        if (r.result() == null) {
            steps.detail("HTTP %d in %.1f ms: %s", r.status(), r.roundTripMicros() / 1000.0, r.problem());
            return;
        }
        steps.detail("HTTP %d: outcome %s, lock state %s, doors open %s, car answered in %d ms (round trip %.1f ms)",
                r.status(), r.result().outcome(), r.result().lockState(), r.result().doorsOpen(),
                r.result().elapsedMs(), r.roundTripMicros() / 1000.0);
    }

    private static void printState(Steps steps, CarState s) {
        steps.detail("online %s, lock %s, doors open %s, ignition %s", s.online(), s.lockState(), s.doorsOpen(), s.ignition());
        steps.detail("position %.5f, %.5f, speed %.1f km/h, odometer %s, last seq %s, last seen %s",
                nz(s.lat()), nz(s.lon()), nz(s.speedKmh()), km(s.odometerKm()), s.lastSeq(), s.lastSeen());
    }

    private static String body(CommandResponse r) {
        return r.result() != null ? r.result().toString() : r.problem();
    }

    private static String duration(Long seconds) {
        if (seconds == null) {
            return "? s";
        }
        return seconds >= 60 ? String.format("%d min %02d s", seconds / 60, seconds % 60) : seconds + " s";
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Steps.StepFailed("interrupted");
        }
    }

    private static double nz0(Double d) {
        return d == null ? 0 : d;
    }

    private static double nz(Double d) {
        return d == null ? Double.NaN : d;
    }

    /** An odometer reading, or what the car did not report (a car whose bus does not carry one). */
    private static String km(Double d) {
        return d == null || d.isNaN() ? "not reported" : String.format("%.1f km", d);
    }
}
