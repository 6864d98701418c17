package io.latchkey.agent.hardware;

import io.latchkey.agent.AgentBuilder;
import io.latchkey.agent.status.StatusIndicator;
import io.latchkey.hal.can.CanBus;
import io.latchkey.hal.gnss.Gnss;
import io.latchkey.hal.lock.DoorLocks;
import io.latchkey.hal.lock.Immobiliser;
import io.latchkey.hal.power.SupplyVoltage;
import io.latchkey.hal.vehicle.MutableVehicleSignals;
import java.util.List;
import java.util.Optional;

/**
 * The car's hardware as the agent uses it, assembled by {@link HardwareFactory}, with the drivers to
 * close when the agent stops (GPIO context, CAN socket, serial and gpsd readers) and a line per part
 * saying which driver runs it. {@code canBus} is empty with {@code hardware.can=none}.
 */
public record Hardware(DoorLocks doorLocks, Optional<Immobiliser> immobiliser, Gnss gnss, MutableVehicleSignals signals,
                       Optional<CanBus> canBus, Optional<SupplyVoltage> supplyVoltage, StatusIndicator statusIndicator,
                       List<AutoCloseable> drivers, List<String> description) {

    /** Hands everything to the agent's builder; the agent closes the drivers when it stops. */
    public AgentBuilder applyTo(AgentBuilder builder) {
        builder.doorLocks(doorLocks).gnss(gnss).vehicleSignals(signals).statusIndicator(statusIndicator);
        immobiliser.ifPresent(builder::immobiliser);
        canBus.ifPresent(builder::canBus);
        supplyVoltage.ifPresent(builder::supplyVoltage);
        drivers.forEach(builder::closeOnStop);
        return builder;
    }
}
