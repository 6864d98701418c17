package io.latchkey.protocol.telemetry;

import io.latchkey.protocol.LockState;
import java.time.Instant;
import java.util.Map;

/**
 * One sample of a car's state. {@code seq} is per device, starts at 1, and increases by one per
 * record: the cloud stores each (device, seq) once and can tell a gap from a duplicate.
 *
 * @param seq          per-device sequence number
 * @param time         when the sample was taken (device clock)
 * @param lat          latitude in degrees (WGS84), absent without a fix
 * @param lon          longitude in degrees, absent without a fix
 * @param speedKmh     vehicle speed in km/h (CAN when available, else GNSS)
 * @param odometerKm   odometer in km
 * @param lockState    central locking, from feedback
 * @param doorsOpen    any door open
 * @param ignition     ignition on
 * @param gnssMode     1 no fix, 2 2D, 3 3D (as gpsd)
 * @param signals      further vehicle signals by COVESA VSS name
 * @param reason       why it was taken: PERIODIC, LOCK, DOOR, IGNITION, KEY, OFFLINE_KEY_USE, ...
 * @param event        an event that must reach the backend exactly once and in order with the records (an offline
 *                     key's use, docs/offline-keys.md §8), journalled with this record; null for a plain sample
 */
public record TelemetryRecord(long seq, Instant time, Double lat, Double lon, Double speedKmh, Double odometerKm,
                              LockState lockState, Boolean doorsOpen, Boolean ignition, Integer gnssMode,
                              Map<String, Double> signals, String reason, DeviceEvent event) {
    /** A plain sample, with no event. */
    public TelemetryRecord(long seq, Instant time, Double lat, Double lon, Double speedKmh, Double odometerKm,
                           LockState lockState, Boolean doorsOpen, Boolean ignition, Integer gnssMode,
                           Map<String, Double> signals, String reason) {
        this(seq, time, lat, lon, speedKmh, odometerKm, lockState, doorsOpen, ignition, gnssMode, signals, reason, null);
    }

    /** This sample carrying {@code event}. */
    public TelemetryRecord withEvent(DeviceEvent event) {
        return new TelemetryRecord(seq, time, lat, lon, speedKmh, odometerKm, lockState, doorsOpen, ignition, gnssMode,
                signals, reason, event);
    }
}
