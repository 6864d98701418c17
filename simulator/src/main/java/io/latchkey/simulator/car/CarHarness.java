package io.latchkey.simulator.car;

import io.latchkey.hal.can.SimulatedCanBus;
import io.latchkey.hal.gnss.nmea.NmeaGnss;
import io.latchkey.hal.lock.DoorLocks;
import io.latchkey.hal.vehicle.MutableVehicleSignals;
import io.latchkey.hal.vehicle.VehicleSignals;

/**
 * The hardware one agent process is given, fresh at every (re)start as after a reboot: its end of the
 * CAN bus with the profile's decoder listening, the vehicle signals that decoder fills, an NMEA
 * receiver, and the real relay driver over the car's lock wiring. A harness of a killed process is
 * {@link #disconnect}ed so that its listeners hear nothing more.
 */
public final class CarHarness {
    private final SimulatedCanBus bus;
    private final MutableVehicleSignals signals;
    private final NmeaGnss gnss;
    private final DoorLocks doorLocks;

    CarHarness(SimulatedCanBus bus, MutableVehicleSignals signals, NmeaGnss gnss, DoorLocks doorLocks) {
        this.bus = bus;
        this.signals = signals;
        this.gnss = gnss;
        this.doorLocks = doorLocks;
    }

    SimulatedCanBus bus() {
        return bus;
    }

    MutableVehicleSignals mutableSignals() {
        return signals;
    }

    public VehicleSignals signals() {
        return signals;
    }

    public NmeaGnss gnss() {
        return gnss;
    }

    public DoorLocks doorLocks() {
        return doorLocks;
    }

    void disconnect() {
        bus.close();
    }
}
