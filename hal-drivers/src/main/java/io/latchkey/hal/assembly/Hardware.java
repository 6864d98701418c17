package io.latchkey.hal.assembly;

import io.latchkey.hal.key.BarcodeScanner;
import io.latchkey.hal.key.BleKeyLink;
import io.latchkey.hal.can.CanBus;
import io.latchkey.hal.gnss.Gnss;
import io.latchkey.hal.gpio.DigitalOutput;
import io.latchkey.hal.lock.DoorLocks;
import io.latchkey.hal.lock.Immobiliser;
import io.latchkey.hal.power.SupplyVoltage;
import io.latchkey.hal.vehicle.MutableVehicleSignals;
import java.util.List;
import java.util.Optional;

/**
 * The car's hardware as a program on the device uses it (the agent, the installer's self-test),
 * assembled by {@link HardwareFactory}, with the drivers to close when the program stops (GPIO context,
 * CAN socket, serial and gpsd readers) and a line per part saying which driver runs it.
 * {@code canBus} is empty with {@code hardware.can=none}; {@code statusLed} is the LED line with
 * {@code hardware.status-led=gpio} (the agent blinks its state on it).
 */
public record Hardware(DoorLocks doorLocks, Optional<Immobiliser> immobiliser, Gnss gnss, MutableVehicleSignals signals,
                       Optional<CanBus> canBus, Optional<SupplyVoltage> supplyVoltage, Optional<DigitalOutput> statusLed,
                       List<AutoCloseable> drivers, List<String> description, Optional<BleKeyLink> bleKeyLink,
                       Optional<BarcodeScanner> barcodeScanner, Optional<io.latchkey.hal.time.Rtc> rtc) {
    /** Hardware with no RTC. */
    public Hardware(DoorLocks doorLocks, Optional<Immobiliser> immobiliser, Gnss gnss, MutableVehicleSignals signals,
                    Optional<CanBus> canBus, Optional<SupplyVoltage> supplyVoltage, Optional<DigitalOutput> statusLed,
                    List<AutoCloseable> drivers, List<String> description, Optional<BleKeyLink> bleKeyLink,
                    Optional<BarcodeScanner> barcodeScanner) {
        this(doorLocks, immobiliser, gnss, signals, canBus, supplyVoltage, statusLed, drivers, description, bleKeyLink,
                barcodeScanner, Optional.empty());
    }

    /** Hardware with no offline-key readers. */
    public Hardware(DoorLocks doorLocks, Optional<Immobiliser> immobiliser, Gnss gnss, MutableVehicleSignals signals,
                    Optional<CanBus> canBus, Optional<SupplyVoltage> supplyVoltage, Optional<DigitalOutput> statusLed,
                    List<AutoCloseable> drivers, List<String> description) {
        this(doorLocks, immobiliser, gnss, signals, canBus, supplyVoltage, statusLed, drivers, description, Optional.empty(),
                Optional.empty());
    }
}
