package io.latchkey.provisioning.selftest;

import io.latchkey.hal.gnss.Gnss;
import io.latchkey.hal.gpio.DigitalInput;
import io.latchkey.hal.lock.DoorLocks;
import io.latchkey.hal.vehicle.VehicleSignals;

/**
 * The car-facing hardware the self-test exercises, through the HAL interfaces only. A null part is one
 * the provider could not open; its check fails saying so.
 *
 * @param keyHolder active while the car's key is in its holder
 */
public record Hardware(DoorLocks locks, VehicleSignals signals, Gnss gnss, DigitalInput keyHolder) {
}
