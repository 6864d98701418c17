package io.latchkey.simulator.car;

import io.latchkey.hal.gpio.SimulatedDigitalOutput;
import io.latchkey.hal.lock.RelayImmobiliser;
import io.latchkey.hal.lock.SimulatedCentralLocking;
import io.latchkey.hal.vehicle.InputSignals;
import io.latchkey.hal.vehicle.AgentSignals;
import io.latchkey.hal.can.CanFrame;
import io.latchkey.hal.can.SimulatedCanBus;
import io.latchkey.hal.can.obd.ObdPid;
import io.latchkey.hal.can.obd.SimulatedObdEcu;
import io.latchkey.hal.gnss.GnssFix;
import io.latchkey.hal.gnss.nmea.NmeaGnss;
import io.latchkey.hal.gnss.nmea.NmeaWriter;
import io.latchkey.hal.vehicle.MutableVehicleSignals;
import io.latchkey.hal.vehicle.Vss;
import io.latchkey.simulator.route.GeoPoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One virtual car at the bus level. Each {@link #tick} advances its {@link VehicleModel} and sends what
 * the car's ECUs would: CAN frames of its DBC profile onto the agent's {@link SimulatedCanBus} (decoded
 * there by the real {@code CanVehicleSignals}) and one NMEA cycle into the agent's {@link NmeaGnss}
 * (parsed by the real NMEA parser). Lock and unlock relays and the locked-feedback contact are wired to
 * a simulated central locking that will not lock with a door open. The fuel level has no signal in the
 * built-in profiles: a {@link SimulatedObdEcu} on the bus answers the agent's OBD-II requests with it
 * (PID 0x2F, in steps of 100/255 %). An electric car's ECU has no fuel level to give and the agent
 * polls no PID for a state of charge, so that, like the supply voltage (an ADC), is written into the
 * agent's signal table directly when the car's profile has no state-of-charge signal on the bus. The
 * ignition and key-holder contacts are simulated input lines, bound into the table as the agent binds
 * real GPIO inputs. The immobiliser relay is a simulated output line: while it is energised the model's
 * starter is cut, and its state survives agent restarts (it is the car's relay, not the process's).
 *
 * <p>The agent gets a fresh {@link CarHarness} at every start ({@link #attach}): a restarted process
 * starts from an empty signal table, as after a reboot. Times of relay activations are recorded on the
 * simulator's true clock for the audit.
 */
public final class SimulatedCar {
    private static final Map<VehicleModel.Door, String> DOOR_SIGNALS = Map.of(
            VehicleModel.Door.DRIVER, Vss.DRIVER_DOOR_OPEN,
            VehicleModel.Door.PASSENGER, Vss.PASSENGER_DOOR_OPEN,
            VehicleModel.Door.REAR_LEFT, Vss.REAR_LEFT_DOOR_OPEN,
            VehicleModel.Door.REAR_RIGHT, Vss.REAR_RIGHT_DOOR_OPEN,
            VehicleModel.Door.TRUNK, Vss.TRUNK_OPEN);

    private final String deviceId;
    private final VehicleModel model;
    private final CarProfile profile;
    private final Clock clock;
    private final Duration relayPulse;
    private final SimulatedCentralLocking wiring;
    /** The car's offline-key readers: they outlive agent restarts, as the Bluetooth chip and the scanner do. */
    private final io.latchkey.hal.key.SimulatedBleKeyLink ble = new io.latchkey.hal.key.SimulatedBleKeyLink();
    private final io.latchkey.hal.key.SimulatedBarcodeScanner scanner = new io.latchkey.hal.key.SimulatedBarcodeScanner();
    private final NmeaWriter nmea = new NmeaWriter("GN");
    private final List<RelayActivation> activations = new CopyOnWriteArrayList<>();
    private final SimulatedDigitalOutput immobiliserRelay = new SimulatedDigitalOutput("immobiliser-relay");
    private final RelayImmobiliser immobiliser = new RelayImmobiliser(immobiliserRelay);
    private volatile boolean canWired = true;
    private final Object emitLock = new Object();
    private volatile CarHarness harness;
    private volatile GnssCondition gnssCondition = GnssCondition.FIX;

    /**
     * @param clock      the simulator's true clock (NMEA time, relay activation times)
     * @param relayPulse how long each relay stays energised (0 for benchmarks; a real kit uses 200-500 ms)
     */
    public SimulatedCar(String deviceId, VehicleModel model, CarProfile profile, Clock clock, Duration relayPulse) {
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
        this.model = Objects.requireNonNull(model, "model");
        this.profile = Objects.requireNonNull(profile, "profile");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.relayPulse = Objects.requireNonNull(relayPulse, "relayPulse");
        this.wiring = new SimulatedCentralLocking(true, this::anyDoorOpen);
        wiring.unlockRelay().onChange(on -> record(on, RelayActivation.Kind.UNLOCK));
        wiring.lockRelay().onChange(on -> record(on, RelayActivation.Kind.LOCK));
        immobiliserRelay.onChange(on -> {
            synchronized (this) {
                model.immobilised(on);
            }
        });
    }

    private void record(boolean on, RelayActivation.Kind kind) {
        if (on) {
            activations.add(new RelayActivation(kind, clock.instant()));
        }
    }

    /**
     * Wires fresh hardware for a new agent process and sends the car's current state on it at once.
     * The previous process's harness goes deaf.
     */
    public CarHarness attach() {
        MutableVehicleSignals signals = new MutableVehicleSignals();
        SimulatedCanBus bus = new SimulatedCanBus(clock);
        bus.addListener(profile.decoder(signals));
        CarHarness fresh = new CarHarness(bus, new SimulatedObdEcu(bus), signals, new NmeaGnss(), wiring.doorLocks(relayPulse),
                immobiliser);
        synchronized (this) {
            // the contacts as they stand now; emitCycle drives them on every change
            fresh.ignitionInput().drive(model.ignition());
            fresh.keyHolderInput().drive(model.keyInHolder());
        }
        InputSignals.bind(fresh.ignitionInput(), Vss.IGNITION_ON, signals);
        InputSignals.bind(fresh.keyHolderInput(), AgentSignals.KEY_IN_HOLDER, signals);
        CarHarness old = harness;
        harness = fresh;
        if (old != null) {
            old.disconnect();
        }
        emit();
        return fresh;
    }

    /** Advances the model and sends the result over CAN and NMEA, and gives the ECU its new fuel level. */
    public void tick(Duration dt) {
        synchronized (this) {
            model.step(dt);
        }
        emit();
    }

    public void openDoor(VehicleModel.Door door) {
        setDoor(door, true);
    }

    public void closeDoor(VehicleModel.Door door) {
        setDoor(door, false);
    }

    private void setDoor(VehicleModel.Door door, boolean open) {
        synchronized (this) {
            model.door(door, open);
        }
        emit();
    }

    /** Returns whether the ignition is on afterwards (it needs the key in its holder). */
    public boolean ignition(boolean on) {
        boolean result;
        synchronized (this) {
            result = model.ignition(on);
        }
        emit();
        return result;
    }

    public void keyInHolder(boolean present) {
        synchronized (this) {
            model.keyInHolder(present);
        }
        emit();
    }

    /** Sets the speed the driver aims for; the car moves only with the ignition on. */
    public synchronized void drive(double targetSpeedKmh) {
        model.drive(targetSpeedKmh);
    }

    /**
     * Gives the car a battery model: from now on its supply voltage follows the battery's charge, drained by the car
     * and by the device in the power state {@code deviceState} reports (the agent's), recharged with the ignition on.
     */
    public void battery(io.latchkey.simulator.power.BatteryModel battery,
                        java.util.function.Supplier<io.latchkey.agent.power.PowerState> deviceState) {
        synchronized (this) {
            model.battery(battery, deviceState);
        }
        emit();
    }

    /** Fault: the battery's resting voltage (12.6 V healthy; below about 11.8 V a car may not start). */
    public void restingVolts(double volts) {
        synchronized (this) {
            model.restingVolts(volts);
        }
        emit();
    }

    /** Fault: the CAN tap is unplugged (or the install has none): no frame reaches the agent from now on. */
    public void canWired(boolean wired) {
        this.canWired = wired;
    }

    /** Whether the immobiliser relay is energised (the starter cut). */
    public boolean isImmobilised() {
        return immobiliserRelay.isOn();
    }

    /** Fault: what the GNSS receiver sends from now on. */
    public void gnss(GnssCondition condition) {
        this.gnssCondition = Objects.requireNonNull(condition, "condition");
    }

    public GnssCondition gnssCondition() {
        return gnssCondition;
    }

    /**
     * Whether the car's profile puts this door's contact on the bus. A door it does not report (the rear doors of the
     * Hyundai i30 profile) is invisible to the agent: its checks cannot name it, and locking with it open fails.
     */
    public boolean reportsDoor(VehicleModel.Door door) {
        return profile.frames().vssNames().contains(DOOR_SIGNALS.get(door));
    }

    /** The door to leave open so that the car sees it: the rear left one where the car reports it, else the front passenger's. */
    public VehicleModel.Door aDoorItSees() {
        return reportsDoor(VehicleModel.Door.REAR_LEFT) ? VehicleModel.Door.REAR_LEFT : VehicleModel.Door.PASSENGER;
    }

    public synchronized boolean anyDoorOpen() {
        return model.anyDoorOpen();
    }

    /** Serialises whole cycles: NMEA sentences and frames of two emissions must never interleave. */
    private void emit() {
        synchronized (emitLock) {
            emitCycle();
        }
    }

    private void emitCycle() {
        CarHarness h = harness;
        if (h == null) {
            return;
        }
        Map<String, Double> vss = new HashMap<>();
        Map<String, Double> direct = new HashMap<>();
        double energyPercent;
        boolean ignitionOn;
        boolean keyPresent;
        GnssFix fix;
        Instant now = clock.instant();
        synchronized (this) {
            vss.put(Vss.SPEED, model.speedKmh());
            vss.put(Vss.TRAVELED_DISTANCE, model.odometerKm());
            for (VehicleModel.Door d : VehicleModel.Door.values()) {
                vss.put(DOOR_SIGNALS.get(d), model.isOpen(d) ? 1.0 : 0.0);
            }
            vss.put(Vss.IS_LOCKED, wiring.isLocked() ? 1.0 : 0.0);
            energyPercent = model.energyPercent();
            ignitionOn = model.ignition();
            keyPresent = model.keyInHolder();
            direct.put(Vss.SUPPLY_VOLTAGE, Math.round(model.supplyVolts() * 100) / 100.0);
            fix = new GnssFix(now, GnssFix.MODE_3D, model.lat(), model.lon(), 35.0, model.speedKmh() / 3.6, model.headingDeg());
        }
        if (model.powertrain() == Powertrain.ELECTRIC) {
            if (profile.frames().vssNames().contains(Vss.BATTERY_SOC)) {
                vss.put(Vss.BATTERY_SOC, energyPercent); // on the bus, decoded by the agent's profile
            } else {
                direct.put(Vss.BATTERY_SOC, Math.round(energyPercent * 10) / 10.0);
            }
        } else {
            h.ecu().set(ObdPid.FUEL_LEVEL, energyPercent);
        }
        if (canWired) {
            for (CanFrame frame : profile.frames().frames(vss, now)) {
                h.bus().inject(frame);
            }
        }
        h.ignitionInput().drive(ignitionOn);
        h.keyHolderInput().drive(keyPresent);
        direct.forEach(h.signals()::update);
        sendNmea(h.gnss(), fix);
    }

    private void sendNmea(NmeaGnss gnss, GnssFix fix) {
        GnssCondition condition = gnssCondition;
        if (condition == GnssCondition.SILENT) {
            return;
        }
        GnssFix sent = condition == GnssCondition.FIX ? fix
                : new GnssFix(fix.time(), GnssFix.MODE_NO_FIX, null, null, null, null, null);
        for (String line : nmea.sentences(sent)) {
            gnss.acceptLine(line);
        }
        gnss.flush();
    }

    /** The car's BLE key link: a virtual phone connects to it (docs/offline-keys.md §3). */
    public io.latchkey.hal.key.SimulatedBleKeyLink ble() {
        return ble;
    }

    /** The car's windscreen scanner: a virtual phone shows it a QR code (docs/offline-keys.md §4). */
    public io.latchkey.hal.key.SimulatedBarcodeScanner scanner() {
        return scanner;
    }

    public String deviceId() {
        return deviceId;
    }

    public CarProfile profile() {
        return profile;
    }

    /** The hardware of the agent process running now (null before the first {@link #attach}). */
    public CarHarness harness() {
        return harness;
    }

    /** How many times the unlock relay was energised. */
    public long unlockActivations() {
        return wiring.unlockRelay().activations();
    }

    /** How many times the lock relay was energised. */
    public long lockActivations() {
        return wiring.lockRelay().activations();
    }

    /** Every relay activation so far, oldest first. */
    public List<RelayActivation> activations() {
        return new ArrayList<>(activations);
    }

    public boolean isLocked() {
        return wiring.isLocked();
    }

    public synchronized double odometerKm() {
        return model.odometerKm();
    }

    public synchronized double speedKmh() {
        return model.speedKmh();
    }

    public synchronized GeoPoint position() {
        return model.position();
    }

    public synchronized VehicleModel.Door[] openDoors() {
        return java.util.Arrays.stream(VehicleModel.Door.values()).filter(model::isOpen).toArray(VehicleModel.Door[]::new);
    }
}
