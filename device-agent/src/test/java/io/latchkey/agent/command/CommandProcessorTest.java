package io.latchkey.agent.command;

import io.latchkey.hal.Registration;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.agent.MutableClock;
import io.latchkey.agent.TestCloud;
import io.latchkey.hal.gnss.FixedGnss;
import io.latchkey.hal.lock.SimulatedCentralLocking;
import io.latchkey.agent.vehicle.VehicleStatus;
import io.latchkey.hal.HalException;
import io.latchkey.hal.lock.DoorLocks;
import io.latchkey.hal.lock.LockState;
import io.latchkey.hal.vehicle.MutableVehicleSignals;
import io.latchkey.hal.vehicle.Vss;
import io.latchkey.protocol.command.Command;
import io.latchkey.protocol.command.CommandAck;
import io.latchkey.protocol.command.CommandOutcome;
import io.latchkey.protocol.command.CommandType;
import io.latchkey.protocol.command.CommandVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CommandProcessorTest {
    private static final String TENANT = "acme";
    private static final String DEVICE = "dev-1";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T17:00:00Z"));
    private final TestCloud cloud = new TestCloud(TENANT, clock);
    private final MutableVehicleSignals signals = new MutableVehicleSignals();
    private final SimulatedCentralLocking wiring = new SimulatedCentralLocking(true,
            () -> signals.value(Vss.DRIVER_DOOR_OPEN).orElse(0.0) >= 0.5);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final InMemoryCommandHistory history = new InMemoryCommandHistory(100, DEVICE, clock);

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    /** What the car's receiver reports; a test swaps in a silent one for "no fix". */
    private io.latchkey.hal.gnss.Gnss gnss = new FixedGnss(52.5, 13.4, clock);

    private CommandProcessor processor(DoorLocks locks, Duration feedbackTimeout) {
        VehicleStatus vehicle = new VehicleStatus(signals, gnss, 3.0, clock);
        CommandVerifier verifier = new CommandVerifier(Map.of(TestCloud.KEY_ID, cloud.keys().getPublic()), TENANT, DEVICE,
                clock, Duration.ofSeconds(30));
        return new CommandProcessor(verifier, history, new LockActuator(locks, scheduler, feedbackTimeout), locks, vehicle,
                DEVICE, clock);
    }

    private CommandProcessor processor() {
        return processor(wiring.doorLocks(Duration.ZERO), Duration.ofSeconds(1));
    }

    private static CommandAck await(java.util.concurrent.CompletableFuture<CommandAck> f) throws Exception {
        return f.get(5, TimeUnit.SECONDS);
    }

    @Test
    void theAnswerGoesOut_whileTheCommandIsBegunButItsResultNotYetRecorded_andARepeatNeverRunsItAgain() throws Exception {
        Command cmd = cloud.command(DEVICE, CommandType.UNLOCK);
        java.util.List<String> seenByAnswer = new java.util.ArrayList<>();

        CommandAck ack = await(processor().process(cloud.signed(cmd), a -> seenByAnswer.add(
                a.outcome() + " / history: " + history.find(cmd.id()).map(h -> h.outcome() + " " + h.reason()).orElse("none"))));

        // When the answer was handed out, the history held the command as begun (forced before the relay
        // moved), not yet its result: a crash right then answers a repeat FAILED INTERRUPTED, never runs it.
        assertThat(seenByAnswer).containsExactly("EXECUTED / history: FAILED " + CommandHistory.INTERRUPTED);
        assertThat(history.find(cmd.id())).contains(ack);
        CommandAck repeat = await(processor().process(cloud.signed(cmd)));
        assertThat(repeat.duplicate()).isTrue();
        assertThat(wiring.unlockRelay().activations()).isEqualTo(1);
    }

    @Test
    void unlock_withValidSignature_pulsesUnlockRelayOnceAndReportsUnlockedFromFeedback() throws Exception {
        Command cmd = cloud.command(DEVICE, CommandType.UNLOCK);

        CommandAck ack = await(processor().process(cloud.signed(cmd)));

        assertThat(ack.outcome()).isEqualTo(CommandOutcome.EXECUTED);
        assertThat(ack.commandId()).isEqualTo(cmd.id());
        assertThat(ack.deviceId()).isEqualTo(DEVICE);
        assertThat(ack.lockState()).isEqualTo(io.latchkey.protocol.LockState.UNLOCKED);
        assertThat(ack.duplicate()).isFalse();
        assertThat(wiring.unlockRelay().activations()).isEqualTo(1);
        assertThat(wiring.lockRelay().activations()).isZero();
    }

    @Test
    void lock_afterUnlock_reportsLockedFromFeedback() throws Exception {
        CommandProcessor p = processor();
        await(p.process(cloud.signed(DEVICE, CommandType.UNLOCK)));

        CommandAck ack = await(p.process(cloud.signed(DEVICE, CommandType.LOCK)));

        assertThat(ack.outcome()).isEqualTo(CommandOutcome.EXECUTED);
        assertThat(ack.lockState()).isEqualTo(io.latchkey.protocol.LockState.LOCKED);
        assertThat(wiring.lockRelay().activations()).isEqualTo(1);
    }

    @Test
    void unlock_withForgedSignature_isRejectedAndRelayNotPulsed() throws Exception {
        Command cmd = cloud.command(DEVICE, CommandType.UNLOCK);

        CommandAck ack = await(processor().process(TestCloud.forged(cmd)));

        assertThat(ack.outcome()).isEqualTo(CommandOutcome.REJECTED);
        assertThat(ack.reason()).isEqualTo("BAD_SIGNATURE");
        assertThat(ack.commandId()).as("echoed so the cloud can match it").isEqualTo(cmd.id());
        assertThat(ack.lockState()).isEqualTo(io.latchkey.protocol.LockState.LOCKED);
        assertThat(wiring.unlockRelay().activations()).isZero();
    }

    @Test
    void unlock_forAnotherDevice_isRejectedAsWrongDevice() throws Exception {
        CommandAck ack = await(processor().process(cloud.signed("dev-2", CommandType.UNLOCK)));

        assertThat(ack.outcome()).isEqualTo(CommandOutcome.REJECTED);
        assertThat(ack.reason()).isEqualTo("WRONG_DEVICE");
        assertThat(wiring.unlockRelay().activations()).isZero();
    }

    @Test
    void unlock_forAnotherTenant_isRejectedAsWrongTenant() throws Exception {
        byte[] foreign = new TestCloud("other", clock).signed(new Command("c-1", "other", DEVICE, CommandType.UNLOCK, clock.instant(),
                clock.instant().plusSeconds(10), "u"));
        // Signed with another tenant's key: refused before the tenant is even read.
        CommandAck ack = await(processor().process(foreign));
        assertThat(ack.outcome()).isEqualTo(CommandOutcome.REJECTED);
        assertThat(wiring.unlockRelay().activations()).isZero();

        Command sameKeyOtherTenant = new Command("c-2", "other", DEVICE, CommandType.UNLOCK, clock.instant(),
                clock.instant().plusSeconds(10), "u");
        CommandAck ack2 = await(processor().process(cloud.signed(sameKeyOtherTenant)));
        assertThat(ack2.reason()).isEqualTo("WRONG_TENANT");
        assertThat(wiring.unlockRelay().activations()).isZero();
    }

    @Test
    void unlock_afterItsExpiry_isRejectedAsExpiredAndNeverExecuted() throws Exception {
        byte[] signed = cloud.signed(DEVICE, CommandType.UNLOCK);
        clock.advance(Duration.ofSeconds(11));

        CommandAck ack = await(processor().process(signed));

        assertThat(ack.outcome()).isEqualTo(CommandOutcome.REJECTED);
        assertThat(ack.reason()).isEqualTo("EXPIRED");
        assertThat(wiring.unlockRelay().activations()).isZero();
    }

    @Test
    void unlock_issuedTooFarInTheFuture_isRejectedAsNotYetValid() throws Exception {
        Command future = new Command("c-f", TENANT, DEVICE, CommandType.UNLOCK, clock.instant().plusSeconds(60),
                clock.instant().plusSeconds(70), "u");

        CommandAck ack = await(processor().process(cloud.signed(future)));

        assertThat(ack.reason()).isEqualTo("NOT_YET_VALID");
        assertThat(wiring.unlockRelay().activations()).isZero();
    }

    @Test
    void garbage_isRejectedAsMalformedWithoutAnId() throws Exception {
        CommandAck ack = await(processor().process("{not json".getBytes(StandardCharsets.UTF_8)));

        assertThat(ack.outcome()).isEqualTo(CommandOutcome.REJECTED);
        assertThat(ack.reason()).isEqualTo("MALFORMED");
        assertThat(ack.commandId()).isNull();
    }

    @Test
    void repeatedId_isAnsweredFromTheFirstResultWithoutPulsingAgain() throws Exception {
        CommandProcessor p = processor();
        byte[] signed = cloud.signed(DEVICE, CommandType.UNLOCK);
        CommandAck first = await(p.process(signed));

        CommandAck second = await(p.process(signed));

        assertThat(second.duplicate()).isTrue();
        assertThat(second.outcome()).isEqualTo(first.outcome());
        assertThat(second.lockState()).isEqualTo(first.lockState());
        assertThat(second.at()).isEqualTo(first.at());
        assertThat(wiring.unlockRelay().activations()).isEqualTo(1);
    }

    @Test
    void rejectedCommand_isNotRemembered_soAFreshlySignedRetryWithTheSameIdExecutes() throws Exception {
        CommandProcessor p = processor();
        Command cmd = cloud.command(DEVICE, CommandType.UNLOCK);
        await(p.process(TestCloud.forged(cmd)));

        CommandAck ack = await(p.process(cloud.signed(cmd)));

        assertThat(ack.outcome()).isEqualTo(CommandOutcome.EXECUTED);
        assertThat(ack.duplicate()).isFalse();
    }

    @Test
    void lock_withADoorOpen_failsWithDoorOpenAndReportsTheCarStillUnlocked() throws Exception {
        CommandProcessor p = processor(wiring.doorLocks(Duration.ZERO), Duration.ofMillis(100));
        await(p.process(cloud.signed(DEVICE, CommandType.UNLOCK)));
        signals.update(Vss.DRIVER_DOOR_OPEN, 1);

        CommandAck ack = await(p.process(cloud.signed(DEVICE, CommandType.LOCK)));

        assertThat(ack.outcome()).isEqualTo(CommandOutcome.FAILED);
        assertThat(ack.reason()).isEqualTo(CommandProcessor.DOOR_OPEN);
        assertThat(ack.lockState()).isEqualTo(io.latchkey.protocol.LockState.UNLOCKED);
        assertThat(ack.doorsOpen()).isTrue();
    }

    @Test
    void unlock_whenTheFeedbackNeverChanges_failsWithNoFeedbackAfterTheTimeout() throws Exception {
        StuckLocks stuck = new StuckLocks();
        long start = System.nanoTime();

        CommandAck ack = await(processor(stuck, Duration.ofMillis(150)).process(cloud.signed(DEVICE, CommandType.UNLOCK)));

        assertThat(ack.outcome()).isEqualTo(CommandOutcome.FAILED);
        assertThat(ack.reason()).isEqualTo(CommandProcessor.NO_FEEDBACK);
        assertThat(ack.lockState()).isEqualTo(io.latchkey.protocol.LockState.LOCKED);
        assertThat(stuck.unlockPulses).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(140));
    }

    @Test
    void unlock_whenTheRelayCannotBeDriven_failsWithRelayError() throws Exception {
        StuckLocks broken = new StuckLocks();
        broken.fail = true;

        CommandAck ack = await(processor(broken, Duration.ofMillis(100)).process(cloud.signed(DEVICE, CommandType.UNLOCK)));

        assertThat(ack.outcome()).isEqualTo(CommandOutcome.FAILED);
        assertThat(ack.reason()).startsWith(CommandProcessor.RELAY_ERROR);
    }

    @Test
    void immobilise_whileMoving_isRejectedAsMoving() throws Exception {
        signals.update(Vss.SPEED, 50);
        signals.update(Vss.IGNITION_ON, 0);

        CommandAck ack = await(processor().process(cloud.signed(DEVICE, CommandType.IMMOBILISE)));

        assertThat(ack.outcome()).isEqualTo(CommandOutcome.REJECTED);
        assertThat(ack.reason()).isEqualTo("MOVING");
        assertThat(ack.failed()).containsExactly("MOVING");
    }

    private final io.latchkey.hal.gpio.SimulatedDigitalOutput immobiliserRelay =
            new io.latchkey.hal.gpio.SimulatedDigitalOutput("immobiliser-relay");

    private CommandProcessor processorWithImmobiliser() {
        DoorLocks locks = wiring.doorLocks(Duration.ZERO);
        VehicleStatus vehicle = new VehicleStatus(signals, gnss, 3.0, clock);
        CommandVerifier verifier = new CommandVerifier(Map.of(TestCloud.KEY_ID, cloud.keys().getPublic()), TENANT, DEVICE,
                clock, Duration.ofSeconds(30));
        return new CommandProcessor(verifier, history, new LockActuator(locks, scheduler, Duration.ofSeconds(1)), locks,
                java.util.Optional.of(new io.latchkey.hal.lock.RelayImmobiliser(immobiliserRelay)), vehicle, DEVICE, clock);
    }

    @Test
    void immobilise_whileMoving_neverTouchesTheRelay() throws Exception {
        signals.update(Vss.SPEED, 50);
        signals.update(Vss.IGNITION_ON, 1);

        CommandAck ack = await(processorWithImmobiliser().process(cloud.signed(DEVICE, CommandType.IMMOBILISE)));

        assertThat(ack.reason()).isEqualTo("MOVING");
        assertThat(ack.failed()).containsExactly("MOVING", "IGNITION_ON");
        assertThat(immobiliserRelay.activations()).isZero();
    }

    @Test
    void immobilise_withSpeedUnknown_failsClosed_andMobiliseIsStillAllowed() throws Exception {
        gnss = new io.latchkey.hal.gnss.nmea.NmeaGnss(); // no CAN speed, no fix
        signals.update(Vss.IGNITION_ON, 0);
        CommandProcessor processor = processorWithImmobiliser();

        CommandAck ack = await(processor.process(cloud.signed(DEVICE, CommandType.IMMOBILISE)));

        assertThat(ack.outcome()).isEqualTo(CommandOutcome.REJECTED);
        assertThat(ack.reason()).isEqualTo("SPEED_UNKNOWN");
        assertThat(immobiliserRelay.activations()).isZero();
        assertThat(await(processor.process(cloud.signed(DEVICE, CommandType.MOBILISE))).outcome())
                .isEqualTo(CommandOutcome.EXECUTED);
    }

    @Test
    void immobilise_stationaryWithTheIgnitionOn_isRefused() throws Exception {
        signals.update(Vss.SPEED, 0);
        signals.update(Vss.IGNITION_ON, 1);

        CommandAck ack = await(processorWithImmobiliser().process(cloud.signed(DEVICE, CommandType.IMMOBILISE)));

        assertThat(ack.reason()).isEqualTo("IGNITION_ON");
        assertThat(immobiliserRelay.isOn()).isFalse();
    }

    @Test
    void immobilise_whenParked_energisesTheRelay_andMobiliseReleasesIt() throws Exception {
        signals.update(Vss.SPEED, 0);
        signals.update(Vss.IGNITION_ON, 0);
        CommandProcessor processor = processorWithImmobiliser();

        CommandAck immobilised = await(processor.process(cloud.signed(DEVICE, CommandType.IMMOBILISE)));
        assertThat(immobilised.outcome()).isEqualTo(CommandOutcome.EXECUTED);
        assertThat(immobiliserRelay.isOn()).isTrue();

        CommandAck mobilised = await(processor.process(cloud.signed(DEVICE, CommandType.MOBILISE)));
        assertThat(mobilised.outcome()).isEqualTo(CommandOutcome.EXECUTED);
        assertThat(immobiliserRelay.isOn()).isFalse();
    }

    @Test
    void immobilise_withoutAnImmobiliserRelay_failsWithNoImmobiliser() throws Exception {
        signals.update(Vss.SPEED, 0);
        signals.update(Vss.IGNITION_ON, 0);
        CommandAck ack = await(processor().process(cloud.signed(DEVICE, CommandType.IMMOBILISE)));

        assertThat(ack.outcome()).isEqualTo(CommandOutcome.FAILED);
        assertThat(ack.reason()).isEqualTo(CommandProcessor.NO_IMMOBILISER);
    }

    private void parkedInOrder() {
        for (String door : VehicleStatus.DOOR_SIGNALS) {
            signals.update(door, 0);
        }
        signals.update(Vss.SPEED, 0);
        signals.update(Vss.IGNITION_ON, 0);
        signals.update(io.latchkey.hal.vehicle.AgentSignals.KEY_IN_HOLDER, 1);
    }

    private Command endRental(io.latchkey.protocol.command.HomeZone zone) {
        Command c = cloud.command(DEVICE, CommandType.END_RENTAL);
        return new Command(c.id(), c.tenant(), c.deviceId(), c.type(), c.issuedAt(), c.expiresAt(), c.actor(), zone);
    }

    @Test
    void endRental_withADoorOpenAndTheKeyTaken_isRefusedWithEveryFailedCheck_andNothingMoves() throws Exception {
        CommandProcessor p = processor();
        await(p.process(cloud.signed(DEVICE, CommandType.UNLOCK)));
        parkedInOrder();
        signals.update(Vss.REAR_LEFT_DOOR_OPEN, 1);
        signals.update(io.latchkey.hal.vehicle.AgentSignals.KEY_IN_HOLDER, 0);

        CommandAck ack = await(p.process(cloud.signed(endRental(null))));

        assertThat(ack.outcome()).isEqualTo(CommandOutcome.REJECTED);
        assertThat(ack.reason()).isEqualTo(CommandProcessor.RETURN_CHECKS_FAILED);
        assertThat(ack.failed()).containsExactly("DOOR_OPEN: rear left", "KEY_NOT_IN_HOLDER");
        assertThat(ack.lockState()).isEqualTo(io.latchkey.protocol.LockState.UNLOCKED);
        assertThat(wiring.lockRelay().activations()).isZero();
    }

    @Test
    void endRental_inOrderAndInsideTheZone_locksTheCar_fromItsFeedback() throws Exception {
        CommandProcessor p = processor();
        await(p.process(cloud.signed(DEVICE, CommandType.UNLOCK)));
        parkedInOrder();

        CommandAck ack = await(p.process(cloud.signed(endRental(new io.latchkey.protocol.command.HomeZone(52.5, 13.4, 50)))));

        assertThat(ack.outcome()).isEqualTo(CommandOutcome.EXECUTED);
        assertThat(ack.failed()).isNull();
        assertThat(ack.lockState()).isEqualTo(io.latchkey.protocol.LockState.LOCKED);
        assertThat(wiring.lockRelay().activations()).isEqualTo(1);
    }

    @Test
    void endRental_whenTheLockDoesNotTake_failsWithWordsTheBorrowerCanActOn() throws Exception {
        // the boot is ajar but this car's bus has no contact for it: every check holds, the lock does not take
        java.util.concurrent.atomic.AtomicBoolean bootAjar = new java.util.concurrent.atomic.AtomicBoolean(true);
        SimulatedCentralLocking blind = new SimulatedCentralLocking(false, bootAjar::get);
        CommandProcessor p = processor(blind.doorLocks(Duration.ZERO), Duration.ofMillis(100));
        parkedInOrder();

        CommandAck ack = await(p.process(cloud.signed(endRental(null))));

        assertThat(ack.outcome()).isEqualTo(CommandOutcome.FAILED);
        assertThat(ack.reason()).isEqualTo(CommandProcessor.NO_FEEDBACK);
        assertThat(ack.failed()).containsExactly(io.latchkey.agent.vehicle.ReturnChecks.LOCK_FAILED_LINE);
        assertThat(ack.failed().get(0)).startsWith("LOCK_FAILED: ").contains("boot");
        assertThat(ack.lockState()).isEqualTo(io.latchkey.protocol.LockState.UNLOCKED);
        assertThat(blind.lockRelay().activations()).isEqualTo(1);

        // shut it and try again (a new command): the car locks
        bootAjar.set(false);
        CommandAck again = await(p.process(cloud.signed(endRental(null))));
        assertThat(again.outcome()).isEqualTo(CommandOutcome.EXECUTED);
        assertThat(again.failed()).isNull();
        assertThat(again.lockState()).isEqualTo(io.latchkey.protocol.LockState.LOCKED);
    }

    @Test
    void lock_whenTheLockDoesNotTake_staysAPlainFailureWithoutAFailedList() throws Exception {
        SimulatedCentralLocking blind = new SimulatedCentralLocking(false, () -> true);

        CommandAck ack = await(processor(blind.doorLocks(Duration.ZERO), Duration.ofMillis(100))
                .process(cloud.signed(DEVICE, CommandType.LOCK)));

        assertThat(ack.outcome()).isEqualTo(CommandOutcome.FAILED);
        assertThat(ack.reason()).isEqualTo(CommandProcessor.NO_FEEDBACK);
        assertThat(ack.failed()).isNull();
    }

    @Test
    void endRental_outsideTheZone_isRefused() throws Exception {
        parkedInOrder();

        CommandAck ack = await(processor().process(cloud.signed(endRental(
                new io.latchkey.protocol.command.HomeZone(52.51, 13.4, 100)))));

        assertThat(ack.outcome()).isEqualTo(CommandOutcome.REJECTED);
        assertThat(ack.failed()).singleElement().asString().startsWith("OUTSIDE_HOME_ZONE: ");
        assertThat(wiring.lockRelay().activations()).isZero();
    }

    /** Locks whose feedback never moves: a cut feedback wire, or a car that ignores the relay. */
    private static final class StuckLocks implements DoorLocks {
        int unlockPulses;
        boolean fail;

        @Override
        public void pulseUnlock() {
            if (fail) {
                throw new HalException("gpio line busy");
            }
            unlockPulses++;
        }

        @Override
        public void pulseLock() {
        }

        @Override
        public LockState state() {
            return LockState.LOCKED;
        }

        @Override
        public Registration addListener(Consumer<LockState> listener) {
            return Registration.NONE;
        }
    }

    @Test
    void aCarThatDiesBeforeRecordingTheResult_neverRunsTheCommandAgain_whenTheSameCommandArrivesAfterTheRestart(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path data) throws Exception {
        Command cmd = cloud.command(DEVICE, CommandType.UNLOCK);
        DoorLocks locks = wiring.doorLocks(Duration.ZERO);
        VehicleStatus vehicle = new VehicleStatus(signals, gnss, 3.0, clock);
        CommandVerifier verifier = new CommandVerifier(Map.of(TestCloud.KEY_ID, cloud.keys().getPublic()), TENANT, DEVICE,
                clock, Duration.ofSeconds(30));
        // The first life: the mark is forced, the relay moves, then the power goes before the result is recorded.
        FileCommandHistory first = new FileCommandHistory(data, 100, DEVICE, clock);
        CommandHistory noResult = new CommandHistory() { // the result never reaches the disk
            @Override public java.util.Optional<CommandAck> find(String id) { return first.find(id); }
            @Override public void begin(String id) { first.begin(id); }
            @Override public void complete(CommandAck ack) { }
            @Override public void close() { }
        };
        await(new CommandProcessor(verifier, noResult, new LockActuator(locks, scheduler, Duration.ofSeconds(1)), locks,
                vehicle, DEVICE, clock).process(cloud.signed(cmd)));
        assertThat(wiring.unlockRelay().activations()).isEqualTo(1);

        // The second life, on the same data directory: the broker delivers the command again.
        try (FileCommandHistory second = new FileCommandHistory(data, 100, DEVICE, clock)) {
            CommandAck again = await(new CommandProcessor(verifier, second, new LockActuator(locks, scheduler,
                    Duration.ofSeconds(1)), locks, vehicle, DEVICE, clock).process(cloud.signed(cmd)));
            assertThat(again.outcome()).isEqualTo(CommandOutcome.FAILED);
            assertThat(again.reason()).isEqualTo(CommandHistory.INTERRUPTED);
        }
        assertThat(wiring.unlockRelay().activations()).as("at most once across the crash").isEqualTo(1);
    }
}
