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
 * @param distanceSource which of the two is the trip's distance ({@link #bestDistanceKm()}, what receipts sum):
 *                      {@code ODOMETER} or {@code GPS}, by {@link #sourceOf}; derived, so a stored trip without it
 *                      gets it on reading
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
                   double gpsDistanceKm, @Nullable String distanceSource, long durationS, @Nullable Double maxSpeedKmh,
                   @Nullable Double fuelStartPct, @Nullable Double fuelEndPct, @Nullable Double fuelUsedPct,
                   @Nullable Double socStartPct, @Nullable Double socEndPct, @Nullable Double socUsedPct,
                   @Nullable String endReason, long startSeq, long endSeq, int records, @Nullable List<List<Double>> path) {

    /** The distance came from the odometer delta. */
    public static final String ODOMETER = "ODOMETER";
    /** The distance came from the GPS path. */
    public static final String GPS = "GPS";
    /**
     * The coarsest odometer a car reports counts whole kilometres: a delta below this may be a drive of up to that
     * much that did not (or only once) tick the odometer over, so it says less than the GPS path.
     */
    public static final double ODOMETER_RESOLUTION_KM = 1.0;

    public Trip {
        distanceSource = sourceOf(distanceKm, gpsDistanceKm);
    }

    /**
     * The one rule for a trip's distance: the odometer delta, unless there is none (no odometer), or it is below
     * {@link #ODOMETER_RESOLUTION_KM} and the GPS path is longer (a short drive that a whole-km odometer reads as
     * 0 or 1 km; a finer odometer and the GPS path agree there anyway). From a kilometre on, the odometer (which
     * counts every metre the wheels turned, in tunnels and without a fix too) is the distance and the GPS path the
     * cross-check.
     */
    public static String sourceOf(@Nullable Double odometerDeltaKm, double gpsDistanceKm) {
        if (odometerDeltaKm == null) {
            return GPS;
        }
        return odometerDeltaKm < ODOMETER_RESOLUTION_KM && gpsDistanceKm > odometerDeltaKm ? GPS : ODOMETER;
    }

    /** The same trip without its path, as listings show it. */
    public Trip withoutPath() {
        return new Trip(id, carId, ongoing, startTime, endTime, startLat, startLon, endLat, endLon, odometerStartKm, odometerEndKm,
                distanceKm, gpsDistanceKm, distanceSource, durationS, maxSpeedKmh, fuelStartPct, fuelEndPct, fuelUsedPct, socStartPct, socEndPct,
                socUsedPct, endReason, startSeq, endSeq, records, null);
    }

    /** The trip's distance, what a receipt shows: from {@link #distanceSource()} (see {@link #sourceOf}). */
    public double bestDistanceKm() {
        return ODOMETER.equals(distanceSource) && distanceKm != null ? distanceKm : gpsDistanceKm;
    }
}
