package io.latchkey.cloud.telemetry;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.List;

/**
 * What trip segmentation knows about one car between batches, durable as {@code trip-progress/{carId}} so that
 * neither a redelivered batch nor a restart counts anything twice: the highest seq applied (records at or below
 * it are skipped), the latest known values (a trip starting on a record without a fix starts where the car was
 * last seen), whether the car is outside its home zone, and the open trip.
 */
record TripProgress(long lastSeq, @Nullable Instant lastTime, @Nullable Double lat, @Nullable Double lon,
                    @Nullable Double odometerKm, @Nullable Double fuelPct, @Nullable Double socPct,
                    boolean outsideHomeZone, @Nullable Open open) {
    static final TripProgress NONE = new TripProgress(0, null, null, null, null, null, null, false, null);

    /** The trip being driven: its start, and what has been accumulated up to {@code lastSeq}. */
    record Open(long startSeq, Instant startTime, @Nullable Double startLat, @Nullable Double startLon,
                @Nullable Double odometerStartKm, @Nullable Double fuelStartPct, @Nullable Double socStartPct,
                long lastSeq, Instant lastTime, @Nullable Double lastLat, @Nullable Double lastLon,
                @Nullable Double odometerKm, @Nullable Double fuelPct, @Nullable Double socPct,
                double gpsDistanceM, @Nullable Double maxSpeedKmh, int records, List<List<Double>> path) {
        Open {
            path = List.copyOf(path);
        }
    }
}
