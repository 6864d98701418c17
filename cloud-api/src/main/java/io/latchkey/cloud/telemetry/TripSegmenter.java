package io.latchkey.cloud.telemetry;

import io.latchkey.cloud.car.Geo;
import io.latchkey.cloud.car.CarState;
import io.latchkey.protocol.command.HomeZone;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import io.micronaut.core.annotation.Nullable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cuts a car's telemetry into trips, one record at a time, in seq order (pure: {@link Trips} keeps the state).
 *
 * <ul>
 *   <li>A record with {@code ignition:true} starts a trip when none is open. A record with {@code ignition:false}
 *       and the car stationary (speed absent or at most {@value #STATIONARY_KMH} km/h) ends the open trip. A record
 *       without an ignition signal neither starts nor ends a trip; it adds to an open one. A car that never reports
 *       ignition therefore has no trips.</li>
 *   <li>Records at or below the highest seq already applied are skipped: duplicates (a redelivered batch) and late
 *       records that arrive after a later one (out of order). They are stored as telemetry all the same; a trip
 *       misses such a late record's GPS point, while its odometer distance stays exact (the odometer is cumulative).</li>
 *   <li>A gap of more than {@link #MAX_GAP} between two records of an open trip ends it at the record before the gap
 *       ({@code endReason:GAP}); the record after the gap may start the next one.</li>
 *   <li>GPS distance adds the haversine distance between consecutive fixes of the trip (gnssMode absent or at least 2),
 *       leaving out jumps that would need more than {@value #MAX_JUMP_MPS} m/s.</li>
 *   <li>Home zone: the first position more than the radius from its centre is an exit ({@code LEFT_HOME_ZONE}, once);
 *       the car counts as back inside only within 90 % of the radius, so GPS noise at the edge raises nothing.</li>
 * </ul>
 */
public final class TripSegmenter {
    public static final double STATIONARY_KMH = 3.0;
    public static final Duration MAX_GAP = Duration.ofMinutes(30);
    public static final int MAX_PATH_POINTS = 200;
    static final double MAX_JUMP_MPS = 100.0;
    /** The open trip keeps at most this many points; beyond, it is simplified to {@link #MAX_PATH_POINTS} * 2. */
    static final int MAX_OPEN_POINTS = 1000;
    /** The signals the car state shows as fuel and charge: a trip uses the same ones. */
    static final List<String> FUEL_SIGNALS = List.of(CarState.FUEL_LEVEL);
    static final List<String> SOC_SIGNALS = List.of(CarState.STATE_OF_CHARGE);

    /** What one record did: the new state, the trips it ended, whether the car just left its home zone. */
    record Step(TripProgress progress, List<Trip> finished, boolean leftHomeZone, @Nullable Double distanceFromHomeM) {
    }

    private TripSegmenter() {
    }

    static Step apply(TripProgress p, TelemetryRecord r, String carId, @Nullable HomeZone zone) {
        if (r.seq() <= p.lastSeq()) {
            return new Step(p, List.of(), false, null);
        }
        List<Trip> finished = new ArrayList<>();
        boolean fix = r.lat() != null && r.lon() != null && (r.gnssMode() == null || r.gnssMode() >= 2);
        Double lat = fix ? r.lat() : p.lat();
        Double lon = fix ? r.lon() : p.lon();
        Double odometer = r.odometerKm() != null ? r.odometerKm() : p.odometerKm();
        Double fuel = firstOf(r.signals(), FUEL_SIGNALS, p.fuelPct());
        Double soc = firstOf(r.signals(), SOC_SIGNALS, p.socPct());
        Instant time = r.time();

        TripProgress.Open open = p.open();
        if (open != null && Duration.between(open.lastTime(), time).compareTo(MAX_GAP) > 0) {
            finished.add(finish(open, carId, "GAP"));
            open = null;
        }
        if (open != null) {
            open = extend(open, r, fix, odometer, fuel, soc);
            if (Boolean.FALSE.equals(r.ignition()) && (r.speedKmh() == null || r.speedKmh() <= STATIONARY_KMH)) {
                finished.add(finish(open, carId, "IGNITION_OFF"));
                open = null;
            }
        } else if (Boolean.TRUE.equals(r.ignition())) {
            List<List<Double>> path = lat != null && lon != null ? List.of(point(lon, lat)) : List.of();
            open = new TripProgress.Open(r.seq(), time, lat, lon, odometer, fuel, soc, r.seq(), time, lat, lon, odometer, fuel, soc,
                    0.0, r.speedKmh(), 1, path);
        }

        boolean outside = p.outsideHomeZone();
        boolean left = false;
        Double distance = null;
        if (zone == null) {
            outside = false;
        } else if (fix) {
            distance = zone.distanceM(r.lat(), r.lon());
            if (!outside && distance > zone.radiusM()) {
                outside = true;
                left = true;
            } else if (outside && distance <= zone.radiusM() * 0.9) {
                outside = false;
            }
        }
        TripProgress next = new TripProgress(r.seq(), time, lat, lon, odometer, fuel, soc, outside, open);
        return new Step(next, finished, left, distance);
    }

    private static TripProgress.Open extend(TripProgress.Open o, TelemetryRecord r, boolean fix, Double odometer, Double fuel,
                                            Double soc) {
        double gps = o.gpsDistanceM();
        Double lastLat = o.lastLat();
        Double lastLon = o.lastLon();
        List<List<Double>> path = o.path();
        if (fix) {
            if (lastLat != null && lastLon != null) {
                double d = Geo.distanceM(lastLat, lastLon, r.lat(), r.lon());
                double seconds = Math.max(1.0, Duration.between(o.lastTime(), r.time()).toMillis() / 1000.0);
                if (d / seconds <= MAX_JUMP_MPS) {
                    gps += d;
                }
            }
            lastLat = r.lat();
            lastLon = r.lon();
            List<List<Double>> longer = new ArrayList<>(path.size() + 1);
            longer.addAll(path);
            longer.add(point(r.lon(), r.lat()));
            path = longer.size() > MAX_OPEN_POINTS ? PathSimplifier.simplify(longer, MAX_PATH_POINTS * 2) : longer;
        }
        Double max = o.maxSpeedKmh();
        if (r.speedKmh() != null && (max == null || r.speedKmh() > max)) {
            max = r.speedKmh();
        }
        Instant lastTime = r.time().isAfter(o.lastTime()) ? r.time() : o.lastTime();
        return new TripProgress.Open(o.startSeq(), o.startTime(), o.startLat(), o.startLon(), o.odometerStartKm(), o.fuelStartPct(),
                o.socStartPct(), r.seq(), lastTime, lastLat, lastLon, odometer, fuel, soc, gps, max, o.records() + 1, path);
    }

    /** The open trip as a trip: finished with a reason, or ongoing when {@code endReason} is null. */
    static Trip finish(TripProgress.Open o, String carId, @Nullable String endReason) {
        Double distance = o.odometerStartKm() != null && o.odometerKm() != null
                ? round(Math.max(0, o.odometerKm() - o.odometerStartKm()), 3) : null;
        return new Trip("t-" + o.startSeq(), carId, endReason == null, o.startTime(), o.lastTime(), o.startLat(), o.startLon(),
                o.lastLat(), o.lastLon(), o.odometerStartKm(), o.odometerKm(), distance, round(o.gpsDistanceM() / 1000.0, 3), null,
                Math.max(0, Duration.between(o.startTime(), o.lastTime()).toSeconds()), o.maxSpeedKmh(),
                o.fuelStartPct(), o.fuelPct(), used(o.fuelStartPct(), o.fuelPct()),
                o.socStartPct(), o.socPct(), used(o.socStartPct(), o.socPct()),
                endReason, o.startSeq(), o.lastSeq(), o.records(), PathSimplifier.simplify(o.path(), MAX_PATH_POINTS));
    }

    private static Double used(Double start, Double end) {
        return start == null || end == null ? null : round(start - end, 2);
    }

    private static Double firstOf(@Nullable Map<String, Double> signals, List<String> names, Double fallback) {
        if (signals != null) {
            for (String name : names) {
                Double v = signals.get(name);
                if (v != null) {
                    return v;
                }
            }
        }
        return fallback;
    }

    private static List<Double> point(double lon, double lat) {
        return List.of(round(lon, 6), round(lat, 6));
    }

    private static double round(double v, int places) {
        double scale = Math.pow(10, places);
        return Math.round(v * scale) / scale;
    }
}
