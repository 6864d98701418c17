package io.latchkey.simulator.car;

import io.latchkey.hal.can.CanBus;
import io.latchkey.hal.can.SimulatedCanBus;
import io.latchkey.hal.can.obd.SimulatedObdEcu;
import io.latchkey.hal.gpio.SimulatedDigitalInput;
import io.latchkey.hal.gnss.nmea.NmeaGnss;
import io.latchkey.hal.lock.DoorLocks;
import io.latchkey.hal.lock.Immobiliser;
import io.latchkey.hal.vehicle.MutableVehicleSignals;

/**
 * The hardware one agent process is given, fresh at every (re)start as after a reboot: its end of the
 * CAN bus with the profile's decoder listening and the car's engine ECU answering OBD-II requests on
 * it, the vehicle signals that decoder (and the agent's OBD-II poller) fill, an NMEA receiver, and the
 * real relay driver over the car's lock wiring, and the real immobiliser driver over the car's
 * immobiliser relay. The ignition and key-holder contacts reach the signal table the way a real install's
 * GPIO inputs do (simulated input lines bound by hal's {@code InputSignals}). A harness of a killed process is {@link #disconnect}ed
 * so that its listeners hear nothing more.
 */
public final class CarHarness {
    private final SimulatedCanBus bus;
    private final SimulatedObdEcu ecu;
    private final MutableVehicleSignals signals;
    private final NmeaGnss gnss;
    private final DoorLocks doorLocks;
    private final Immobiliser immobiliser;
    private final SimulatedDigitalInput ignition = new SimulatedDigitalInput("ignition", false);
    private final SimulatedDigitalInput keyHolder = new SimulatedDigitalInput("key-in-holder", true);

    CarHarness(SimulatedCanBus bus, SimulatedObdEcu ecu, MutableVehicleSignals signals, NmeaGnss gnss, DoorLocks doorLocks,
               Immobiliser immobiliser) {
        this.immobiliser = immobiliser;
        this.bus = bus;
        this.ecu = ecu;
        this.signals = signals;
        this.gnss = gnss;
        this.doorLocks = doorLocks;
    }

    /** The car's side of the bus: where its ECUs put their frames. */
    SimulatedCanBus bus() {
        return bus;
    }

    SimulatedObdEcu ecu() {
        return ecu;
    }

    /** The agent's end of the bus (for OBD-II requests). */
    public CanBus canBus() {
        return bus;
    }

    /** The agent's signal table. */
    public MutableVehicleSignals signals() {
        return signals;
    }

    public NmeaGnss gnss() {
        return gnss;
    }

    public DoorLocks doorLocks() {
        return doorLocks;
    }

    /** The immobiliser relay, for {@code AgentBuilder.immobiliser}. */
    public Immobiliser immobiliser() {
        return immobiliser;
    }

    /** The ignition contact ({@code hardware.gpio.ignition} in a real install). */
    SimulatedDigitalInput ignitionInput() {
        return ignition;
    }

    /** The key-holder contact ({@code hardware.gpio.key-in-holder}), active while the key is in it. */
    SimulatedDigitalInput keyHolderInput() {
        return keyHolder;
    }

    void disconnect() {
        bus.close();
    }
}
