package io.latchkey.agent.power;

import io.latchkey.agent.events.DeviceEvents;
import io.latchkey.agent.vehicle.VehicleStatus;
import io.latchkey.hal.power.SupplyVoltage;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.telemetry.NextBooking;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link PowerPolicy} on the agent's power timer and carries out each change of state through
 * {@link Actions}: the telemetry interval, the radio and MQTT off before sleep or protection (after the car has said
 * so in its retained state, with its next wake), on again when it wakes. A {@code POWER_STATE} event tells the cloud
 * of every change made while connected. Protection is remembered in {@code data.dir/power-protect}, so an agent
 * restarted (or a Pi powered up again) while the battery is still critical stays off until the voltage recovers.
 */
public final class PowerManager {
    private static final Logger LOG = LoggerFactory.getLogger(PowerManager.class);
    public static final String EVENT = "POWER_STATE";
    public static final String PROTECT_MARKER = "power-protect";

    /** What a change of state does to the agent. */
    public interface Actions {
        /** The parked telemetry interval ({@code null}: the normal one). */
        void parkedInterval(Duration interval);

        /** Says goodbye with the state and the next wake (retained), then turns the radio and MQTT off. */
        void sleep(PowerState state, Instant nextWake);

        /** Turns the radio and MQTT on again; the agent announces itself online when connected. */
        void wake();
    }

    private final PowerSettings settings;
    private final PowerPolicy policy;
    private final SupplyVoltage supply;
    private final BatteryGuard battery;
    private final VehicleStatus vehicle;
    private final DeviceEvents events;
    private final Clock clock;
    private final Path marker;
    private final String deviceId;
    private Actions actions;
    private volatile PowerState state;
    private volatile Instant nextWake;
    private volatile Instant nextBooking;
    private volatile Instant since;
    private volatile Double lastVolts;
    private Instant nextProtectCheck;

    /** @param supply and {@code battery} may be null (no voltage sensor): then only parking and bookings decide */
    public PowerManager(PowerSettings settings, SupplyVoltage supply, BatteryGuard battery, VehicleStatus vehicle,
                        DeviceEvents events, Clock clock, Path dataDir, String deviceId) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.supply = supply;
        this.battery = battery;
        this.vehicle = Objects.requireNonNull(vehicle, "vehicle");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.marker = dataDir.resolve(PROTECT_MARKER);
        this.deviceId = deviceId;
        boolean protectedAtStart = supply != null && Files.exists(marker);
        this.policy = new PowerPolicy(settings, protectedAtStart);
        this.state = policy.state();
        this.since = protectedAtStart ? protectedSince(clock.instant()) : clock.instant();
        if (protectedAtStart) {
            LOG.warn("{}: stopped in battery protection; staying off until the supply reaches {} V", deviceId, settings.recoverVolts());
        }
    }

    /** Set by the agent before its timer starts. */
    public void actions(Actions actions) {
        this.actions = Objects.requireNonNull(actions, "actions");
    }

    /** Whether the agent must not connect at start: it stopped in protection and the battery has not recovered. */
    public boolean startsProtected() {
        return state == PowerState.PROTECT;
    }

    public PowerState state() {
        return state;
    }

    /** When a sleeping or protected car will be awake again; null when awake. */
    public Instant nextWake() {
        return nextWake;
    }

    /** When the agent entered its current state: its start for the first one, the marker's time for a protection it restarted in. */
    public Instant since() {
        return since;
    }

    /** The supply voltage read by the last check; null without a voltage source or before the first reading. */
    public Double lastVolts() {
        return lastVolts;
    }

    public Instant nextBooking() {
        return nextBooking;
    }

    /** A retained message on the car's {@code booking} channel; one for another device, or unreadable, is ignored. */
    public void bookingMessage(byte[] payload) {
        try {
            NextBooking b = Json.read(payload, NextBooking.class);
            if (!deviceId.equals(b.deviceId())) {
                LOG.warn("{}: next booking for {} ignored", deviceId, b.deviceId());
                return;
            }
            nextBooking = b.startsAt();
            LOG.info("{}: next booking {}", deviceId, b.startsAt() == null ? "none" : "at " + b.startsAt());
        } catch (RuntimeException e) {
            LOG.warn("{}: unreadable next-booking message ignored: {}", deviceId, e.toString());
        }
    }

    /** Test seam and the simulator's: the next booking as if the backend had published it. */
    public void nextBooking(Instant startsAt) {
        this.nextBooking = startsAt;
    }

    /** One run of the power timer. */
    public synchronized void check() {
        Instant now = clock.instant();
        if (state == PowerState.PROTECT && nextProtectCheck != null && now.isBefore(nextProtectCheck)) {
            return;
        }
        if (battery != null) {
            battery.check();
        }
        OptionalDouble volts = supply == null ? OptionalDouble.empty() : supply.volts();
        if (volts.isPresent()) {
            lastVolts = volts.getAsDouble();
        }
        boolean parked = !vehicle.isMoving() && !vehicle.ignitionOn();
        PowerPolicy.Decision d = policy.update(now, volts, battery != null && battery.isLow(), parked, nextBooking);
        nextProtectCheck = d.state() == PowerState.PROTECT ? now.plus(settings.protectCheckEvery()) : null;
        PowerState before = state;
        nextWake = d.nextWake();
        if (d.state() == before) {
            return;
        }
        state = d.state();
        since = now;
        LOG.info("{}: power {} -> {}{}{}", deviceId, before, d.state(),
                volts.isPresent() ? String.format(" at %.2f V", volts.getAsDouble()) : "",
                d.nextWake() == null ? "" : ", next wake " + d.nextWake());
        switch (d.state()) {
            case NORMAL, ECONOMY -> {
                if (before == PowerState.PROTECT) {
                    clearMarker();
                }
                boolean economy = d.state() == PowerState.ECONOMY;
                if (economy || battery == null || !battery.isLow()) { // a low battery keeps the guard's longer interval
                    actions.parkedInterval(economy ? settings.economyInterval() : null);
                }
                if (before == PowerState.SLEEP || before == PowerState.PROTECT) {
                    actions.wake();
                }
                event(before, d, volts);
            }
            case SLEEP, PROTECT -> {
                if (d.state() == PowerState.PROTECT) {
                    writeMarker();
                }
                actions.parkedInterval(settings.economyInterval());
                if (before == PowerState.NORMAL || before == PowerState.ECONOMY) {
                    event(before, d, volts); // while still connected
                    actions.sleep(d.state(), d.nextWake());
                }
            }
        }
    }

    private void event(PowerState from, PowerPolicy.Decision d, OptionalDouble volts) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("from", from.name());
        details.put("to", d.state().name());
        volts.ifPresent(v -> details.put("volts", String.format(java.util.Locale.ROOT, "%.2f", v)));
        if (d.nextWake() != null) {
            details.put("nextWake", d.nextWake().toString());
        }
        try {
            events.publish(EVENT, details);
        } catch (RuntimeException e) {
            LOG.debug("{}: power event not sent: {}", deviceId, e.toString());
        }
    }

    private Instant protectedSince(Instant fallback) {
        try {
            return Instant.parse(Files.readString(marker).strip());
        } catch (IOException | java.time.DateTimeException e) {
            return fallback;
        }
    }

    private void writeMarker() {
        try {
            Files.writeString(marker, clock.instant().toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + marker, e);
        }
    }

    private void clearMarker() {
        try {
            Files.deleteIfExists(marker);
        } catch (IOException e) {
            LOG.warn("{}: cannot remove {}: {}", deviceId, marker, e.toString());
        }
    }
}
