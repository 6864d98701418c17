package io.latchkey.simulator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.latchkey.simulator.api.ApiTypes.CarDetail;
import io.latchkey.simulator.api.ApiTypes.CommandResponse;
import io.latchkey.simulator.api.ApiTypes;
import io.latchkey.simulator.api.LatchkeyClient;
import io.latchkey.simulator.api.OutboxFile;
import io.latchkey.simulator.car.SimulatedCar;
import io.latchkey.simulator.fleet.Fleet;
import io.latchkey.simulator.mail.DemoMailbox;
import io.latchkey.simulator.scenario.Demo;
import io.latchkey.simulator.scenario.DemoTraffic;
import io.latchkey.simulator.scenario.Steps;
import io.latchkey.simulator.scenario.TenantBootstrap;
import io.latchkey.simulator.scenario.World;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton end to end in one JVM: the real backend (HTTP, JWTs, embedded broker, signed
 * commands) and a fleet of simulated cars each running the real agent, driven through the public API
 * by the same code as {@code latchkey-sim demo}. The backend mails its users through a real SMTP server on loopback,
 * the demo's mailbox, as {@code ./latchkey demo} sets it up.
 */
class WalkingSkeletonIT {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    static Path backendDir;
    private static DemoMailbox mailbox;
    private static Backend backend;
    private static LatchkeyClient api;

    @TempDir
    Path agentsDir;
    private final Fleet fleet = new Fleet(Fleet.Options.defaults());
    private final Clock clock = Clock.systemUTC();

    @BeforeAll
    static void startBackend() {
        mailbox = DemoMailbox.start(0);
        backend = new Backend(backendDir, Map.of("latchkey.commands.timeout", COMMAND_TIMEOUT.toMillis() + "ms",
                "latchkey.mail.smtp.host", DemoMailbox.HOST, "latchkey.mail.smtp.port", mailbox.port(),
                "latchkey.mail.smtp.tls", "none", "latchkey.mail.smtp.from", "Latchkey demo <no-reply@demo.example>"));
        api = new LatchkeyClient(backend.url(), Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
        mailbox.close();
    }

    @AfterEach
    void stopFleet() {
        fleet.close();
    }

    private TenantBootstrap.Options options(String tenant, int cars) {
        return new TenantBootstrap.Options(Backend.ADMIN_USER, Backend.ADMIN_PASSWORD, tenant, cars, Duration.ofMillis(50),
                agentsDir, Duration.ofSeconds(20), Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    @Test
    void demo_tellsTheWholeRental_fromAFreeCarToTheReceiptAndTheMail() throws Exception {
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        java.io.PrintStream out = new java.io.PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                printed.write(b);
                System.out.write(b);
            }
        }, true, java.nio.charset.StandardCharsets.UTF_8);
        Demo.Result result = new Demo(api, out, clock, new SplittableRandom(1), backendDir, mailbox).run(options("demo", 2), fleet);

        assertThat(result.steps()).allSatisfy(step -> assertThat(step.ok()).as(step.title() + ": " + step.detail()).isTrue());
        assertThat(result.ok()).isTrue();
        assertThat(result.steps()).extracting(Steps.Step::title)
                .anyMatch(t -> t.startsWith("Borrower looks for a free car"))
                .anyMatch(t -> t.startsWith("Borrower books"))
                .anyMatch(t -> t.startsWith("Borrower UNLOCKs") && t.endsWith("the rental starts"))
                .anyMatch(t -> t.startsWith("Borrower drives a short trip"))
                .anyMatch(t -> t.matches("Borrower gets out, leaves the (rear left|front passenger) door open and tries to end the rental.*"))
                .anyMatch(t -> t.startsWith("Borrower closes the door and ends the rental"))
                .anyMatch(t -> t.equals("The trip receipt"))
                .anyMatch(t -> t.startsWith("The receipt mail the borrower received (SMTP"))
                .anyMatch(t -> t.startsWith("After the end the borrower can no longer UNLOCK"))
                .anyMatch(t -> t.startsWith("A borrower WITHOUT a booking"));
        World w = result.world();
        List<SimulatedCar> used = java.util.stream.IntStream.range(0, w.cars().size()).mapToObj(w::simulatedCar)
                .filter(c -> c.unlockActivations() > 0).toList();
        assertThat(used).as("exactly one car was rented").hasSize(1);
        SimulatedCar rented = used.get(0);
        assertThat(rented.unlockActivations()).as("unlock relay activations").isEqualTo(1);
        assertThat(rented.lockActivations()).as("lock relay activations: the end of the rental").isEqualTo(1);
        assertThat(rented.isLocked()).isTrue();
        assertThat(rented.openDoors()).isEmpty();
        assertThat(rented.odometerKm()).as("the rented car drove").isGreaterThan(0);
        String carId = w.cars().get(java.util.stream.IntStream.range(0, w.cars().size())
                .filter(i -> w.simulatedCar(i) == rented).findFirst().orElseThrow()).id();
        var bookings = api.bookings(w.operatorToken(), w.tenant(), ApiTypes.BookingFilter.all().withCar(carId));
        assertThat(bookings.items()).singleElement().satisfies(b -> {
            assertThat(b.state()).isEqualTo("ENDED");
            assertThat(b.startedAt()).isNotNull();
            assertThat(b.endedAt()).isAfter(b.startedAt());
        });
        // the backend mailed the receipt over SMTP to the borrower: the mailbox holds it, with the rental's car, times and
        // distance, and the demo printed its subject and lines; the backend's outbox no longer holds it
        ApiTypes.Booking booking = bookings.items().get(0);
        CarDetail car = w.cars().stream().filter(c -> c.id().equals(carId)).findFirst().orElseThrow();
        List<DemoMailbox.Mail> receipts = mailbox.received().stream()
                .filter(m -> m.to().equals(List.of(w.borrowerSignIn().email())) && m.subject().startsWith("Rental receipt")
                        && m.text().contains(booking.id())).toList();
        assertThat(receipts).as("one receipt mail to the borrower").hasSize(1);
        DemoMailbox.Mail mail = receipts.get(0);
        assertThat(mail.from()).isEqualTo("no-reply@demo.example");
        assertThat(mail.subject()).startsWith("Rental receipt: ").contains(car.name());
        assertThat(mail.lines().get(0)).contains(car.name()).contains("(booking " + booking.id() + ") has ended");
        assertThat(mail.line("Started:")).hasValueSatisfying(v -> assertThat(java.time.Instant.parse(v)).isEqualTo(booking.startedAt()));
        assertThat(mail.line("Ended:")).hasValueSatisfying(v -> assertThat(java.time.Instant.parse(v)).isEqualTo(booking.endedAt()));
        ApiTypes.TripTotals trips = api.bookingTrips(w.borrowerToken(), w.tenant(), booking.id()).totals();
        String km = String.format(java.util.Locale.ROOT, "%.1f", trips.distanceKm());
        assertThat(mail.line("Distance:")).hasValueSatisfying(v -> assertThat(v)
                .startsWith(km + " km in " + trips.count() + (trips.count() == 1 ? " trip (driving " : " trips (driving ")));
        assertThat(mail.subject()).isEqualTo("Rental receipt: " + car.name() + " (" + car.plate() + "), " + km + " km");
        String shown = printed.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(shown).contains("to " + w.borrowerSignIn().email()).contains("subject: \"" + mail.subject() + "\"");
        for (String line : mail.lines()) {
            if (!line.isBlank()) {
                assertThat(shown).contains("  | " + line);
            }
        }
        assertThat(new OutboxFile(backendDir).messagesFor(w.tenant(), booking.userId())).noneMatch(m -> m.kind().contains("receipt"));

        // it ends with where to point the browser: the operator console and the borrower app, served by the backend,
        // with an operator and a borrower whose passwords work
        String app = api.baseUrl().replaceAll("/+$", "") + "/t/" + w.tenant() + "/app/";
        String console = api.baseUrl().replaceAll("/+$", "") + "/t/" + w.tenant() + "/console/";
        assertThat(printed.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("Borrower app: " + app)
                .contains("sign in as " + w.borrowerSignIn().email() + " with the password " + w.borrowerSignIn().password())
                .contains("Operator console: " + console)
                .contains("sign in as " + w.operatorSignIn().email() + " with the password " + w.operatorSignIn().password());
        assertThat(api.tenantToken(w.tenant(), w.operatorSignIn().email(), w.operatorSignIn().password()).access_token()).isNotBlank();
        java.net.http.HttpResponse<String> shell = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(app)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(shell.statusCode()).isEqualTo(200);
        assertThat(shell.body()).contains("<script type=\"module\" src=\"app.js\"></script>");

        // what demo --keep leaves running: half of the cars rented by the second borrower and driving; the backend sees them move
        try (DemoTraffic traffic = new DemoTraffic(api, out, clock, new SplittableRandom(1))) {
            assertThat(DemoTraffic.driven(w.cars().size())).isEqualTo(1);
            int last = w.cars().size() - 1;
            String moving = w.car(last).id();
            ApiTypes.CarState parked = api.car(w.operatorToken(), w.tenant(), moving).state();
            double odometer = w.simulatedCar(last).odometerKm();
            double otherOdometer = w.simulatedCar(0).odometerKm();
            assertThat(traffic.start(w)).singleElement().asString().startsWith(moving + " (booking ");
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                ApiTypes.CarState now = api.car(w.operatorToken(), w.tenant(), moving).state();
                return !java.util.Objects.equals(now.lat(), parked.lat()) || !java.util.Objects.equals(now.lon(), parked.lon());
            });
            assertThat(w.simulatedCar(last).odometerKm()).isGreaterThan(odometer);
            assertThat(w.simulatedCar(0).odometerKm()).as("the other car stays parked").isEqualTo(otherOdometer);
            assertThat(api.bookings(w.operatorToken(), w.tenant(), ApiTypes.BookingFilter.all().withCar(moving)).items())
                    .filteredOn(b -> "ACTIVE".equals(b.state())).hasSize(1);
        }
    }

    @Test
    void offlineCar_answers504_andNeverExecutesTheExpiredCommandWhenItComesBack() {
        World w = new TenantBootstrap(api, new Steps(System.out), clock, new SplittableRandom(2)).run(options("offline", 1), fleet);
        CarDetail car = w.car(0);
        SimulatedCar simulated = w.simulatedCar(0);
        fleet.stopAgent(car.deviceId());
        await().atMost(Duration.ofSeconds(10)).until(() ->
                Boolean.FALSE.equals(api.car(w.operatorToken(), w.tenant(), car.id()).state().online()));

        long started = System.nanoTime();
        CommandResponse r = api.command(w.operatorToken(), w.tenant(), car.id(), "UNLOCK");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(r.status()).isEqualTo(504);
        assertThat(took).isBetween(COMMAND_TIMEOUT.minusMillis(200), COMMAND_TIMEOUT.plusSeconds(2));
        fleet.restartAgent(car.deviceId()).firstConnection().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                Boolean.TRUE.equals(api.car(w.operatorToken(), w.tenant(), car.id()).state().online()));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> simulated.unlockActivations() == 0);
        assertThat(simulated.isLocked()).isTrue();

        CommandResponse again = api.command(w.operatorToken(), w.tenant(), car.id(), "UNLOCK");
        assertThat(again.status()).as("the car answers again once back").isEqualTo(200);
        assertThat(simulated.unlockActivations()).isEqualTo(1);
    }
}
