package io.latchkey.cloud.telemetry;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * One trip of a car, from ignition on to ignition off with the car stationary ({@link TripSegmenter}).
 *
 * @param id            {@code t-{startSeq}}: the seq of the record that started it, unique per car
 * @param ongoing       the trip has not ended yet (then the end fields are those of the latest record)
 * @param distanceKm    odometer delta; null when the car reports no odometer
 * @param gpsDistanceKm length of the GPS path (haversine between consecutive fixes), the cross-check
 * @param fuelUsedPct   fuel level at the start minus at the end, percentage points of the tank (negative: refuelled)
 * @param socUsedPct    state of charge at the start minus at the end, percentage points (negative: charged)
 * @param endReason     {@code IGNITION_OFF}; {@code GAP} when no record came for longer than
 *                      {@link TripSegmenter#MAX_GAP} (the trip ends at the last record before the gap); null while ongoing
 * @param records       how many telemetry records it was built from
 * @param path          the path for display, [lon, lat] pairs (GeoJSON order), Douglas-Peucker simplified to at most
 *                      {@link TripSegmenter#MAX_PATH_POINTS} points; null in listings
 */
@Serdeable
public record Trip(String id, String carId, boolean ongoing, Instant startTime, @Nullable Instant endTime,
                   @Nullable Double startLat, @Nullable Double startLon, @Nullable Double endLat, @Nullable Double endLon,
                   @Nullable Double odometerStartKm, @Nullable Double odometerEndKm, @Nullable Double distanceKm,
                   double gpsDistanceKm, long durationS, @Nullable Double maxSpeedKmh,
                   @Nullable Double fuelStartPct, @Nullable Double fuelEndPct, @Nullable Double fuelUsedPct,
                   @Nullable Double socStartPct, @Nullable Double socEndPct, @Nullable Double socUsedPct,
                   @Nullable String endReason, long startSeq, long endSeq, int records, @Nullable List<List<Double>> path) {

    /** The same trip without its path, as listings show it. */
    public Trip withoutPath() {
        return new Trip(id, carId, ongoing, startTime, endTime, startLat, startLon, endLat, endLon, odometerStartKm, odometerEndKm,
                distanceKm, gpsDistanceKm, durationS, maxSpeedKmh, fuelStartPct, fuelEndPct, fuelUsedPct, socStartPct, socEndPct,
                socUsedPct, endReason, startSeq, endSeq, records, null);
    }

    /** The distance a receipt shows: the odometer's where the car has one, else the GPS path's. */
    public double bestDistanceKm() {
        return distanceKm != null ? distanceKm : gpsDistanceKm;
    }
}
