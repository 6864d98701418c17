package io.latchkey.cloud.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.latchkey.cloud.car.Geo;
import io.latchkey.protocol.command.HomeZone;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TripSegmenterTest {
    /** gpsd's regression capture of a u-blox 8 in a car in the Black Forest: parked, driving, stopped (LF, 1 Hz). */
    static final Path CAPTURE = Path.of("../hal/src/test/resources/nmea/nl2008u.log");
    static final Instant T0 = Instant.parse("2026-05-01T08:00:00Z");

    record Run(TripProgress progress, List<Trip> trips, int exits) {
    }

    static Run run(TripProgress start, List<TelemetryRecord> records, HomeZone zone) {
        TripProgress p = start;
        List<Trip> trips = new ArrayList<>();
        int exits = 0;
        for (TelemetryRecord r : records) {
            TripSegmenter.Step step = TripSegmenter.apply(p, r, "car-1", zone);
            p = step.progress();
            trips.addAll(step.finished());
            exits += step.leftHomeZone() ? 1 : 0;
        }
        return new Run(p, trips, exits);
    }

    static TelemetryRecord rec(long seq, long second, Double lat, Double lon, Double speed, Double odometer, Boolean ignition,
                               Map<String, Double> signals) {
        return new TelemetryRecord(seq, T0.plusSeconds(second), lat, lon, speed, odometer, LockState.UNLOCKED, false, ignition,
                lat == null ? 1 : 3, signals, "PERIODIC");
    }

    static TelemetryRecord rec(long seq, long second, double lat, double lon, double speed, double odometer, Boolean ignition) {
        return rec(seq, second, lat, lon, speed, odometer, ignition, Map.of());
    }

    @Test
    void realCapture_isOneTrip_fromIgnitionOnToIgnitionOff_withItsPathInLonLatOrder() throws IOException {
        List<double[]> fixes = new ArrayList<>(); // lat, lon, knots, epoch second
        for (String line : Files.readAllLines(CAPTURE, StandardCharsets.UTF_8)) {
            String[] f = line.strip().split("[,*]");
            if (!f[0].endsWith("RMC") || !"A".equals(f[2])) {
                continue;
            }
            double lat = degrees(f[3], 2) * ("S".equals(f[4]) ? -1 : 1);
            double lon = degrees(f[5], 3) * ("W".equals(f[6]) ? -1 : 1);
            Instant at = LocalDate.parse(f[9], DateTimeFormatter.ofPattern("ddMMyy"))
                    .atTime(LocalTime.parse(f[1].substring(0, 6), DateTimeFormatter.ofPattern("HHmmss"))).toInstant(ZoneOffset.UTC);
            fixes.add(new double[]{lat, lon, Double.parseDouble(f[7]), at.getEpochSecond()});
        }
        assertThat(fixes).hasSizeGreaterThanOrEqualTo(8);
        List<TelemetryRecord> records = new ArrayList<>();
        long seq = 1;
        for (double[] fix : fixes) {
            records.add(new TelemetryRecord(seq++, Instant.ofEpochSecond((long) fix[3]), fix[0], fix[1], fix[2] * 1.852, null,
                    LockState.UNLOCKED, false, true, 3, Map.of(), "PERIODIC"));
        }
        double[] last = fixes.get(fixes.size() - 1);
        records.add(new TelemetryRecord(seq, Instant.ofEpochSecond((long) last[3] + 1), last[0], last[1], 0.0, null,
                LockState.UNLOCKED, false, false, 3, Map.of(), "IGNITION"));

        Run run = run(TripProgress.NONE, records, null);

        assertThat(run.trips()).hasSize(1);
        Trip trip = run.trips().get(0);
        double[] first = fixes.get(0);
        assertThat(trip.endReason()).isEqualTo("IGNITION_OFF");
        assertThat(trip.startTime()).isEqualTo(Instant.ofEpochSecond((long) first[3]));
        assertThat(trip.endTime()).isEqualTo(Instant.ofEpochSecond((long) last[3] + 1));
        assertThat(trip.durationS()).isEqualTo((long) last[3] + 1 - (long) first[3]);
        assertThat(trip.startLat()).isEqualTo(first[0]);
        assertThat(trip.endLon()).isEqualTo(last[1]);
        assertThat(trip.records()).isEqualTo(records.size());
        // the GPS path is at least as long as the straight line, and no longer than the capture's points joined up
        double straight = Geo.distanceM(first[0], first[1], last[0], last[1]) / 1000;
        double joined = 0;
        for (int i = 1; i < fixes.size(); i++) {
            joined += Geo.distanceM(fixes.get(i - 1)[0], fixes.get(i - 1)[1], fixes.get(i)[0], fixes.get(i)[1]) / 1000;
        }
        assertThat(straight).isGreaterThan(0.3);
        assertThat(trip.gpsDistanceKm()).isBetween(straight - 0.001, joined + 0.001);
        assertThat(trip.distanceKm()).as("no odometer in a GPS capture").isNull();
        assertThat(trip.maxSpeedKmh()).isCloseTo(fixes.stream().mapToDouble(f -> f[2]).max().orElseThrow() * 1.852, within(1e-9));
        // [lon, lat], rounded to 6 decimals (about 0.1 m)
        assertThat(trip.path().get(0).get(0)).isCloseTo(first[1], within(1e-6));
        assertThat(trip.path().get(0).get(1)).isCloseTo(first[0], within(1e-6));
        assertThat(trip.path().get(trip.path().size() - 1).get(0)).isCloseTo(last[1], within(1e-6));
        assertThat(trip.path().get(trip.path().size() - 1).get(1)).isCloseTo(last[0], within(1e-6));
        assertThat(run.progress().open()).isNull();
    }

    private static double degrees(String ddmm, int degreeDigits) {
        return Integer.parseInt(ddmm.substring(0, degreeDigits)) + Double.parseDouble(ddmm.substring(degreeDigits)) / 60;
    }

    @Test
    void redeliveredRecords_andARestartFromTheStoredProgress_countNothingTwice() {
        List<TelemetryRecord> drive = List.of(
                rec(1, 0, 52.5200, 13.4000, 0, 1000.0, true),
                rec(2, 10, 52.5210, 13.4000, 40, 1000.4, true),
                rec(3, 20, 52.5220, 13.4000, 45, 1000.8, true));
        Run first = run(TripProgress.NONE, drive, null);
        assertThat(first.progress().open()).isNotNull();
        // the same batch again (the broker redelivers), then the rest after a "restart" from the stored progress
        Run again = run(first.progress(), drive, null);
        assertThat(again.progress()).isEqualTo(first.progress());
        Run end = run(again.progress(), List.of(rec(3, 20, 52.5220, 13.4000, 45, 1000.8, true),
                rec(4, 30, 52.5230, 13.4000, 0, 1001.0, false)), null);

        assertThat(end.trips()).hasSize(1);
        Trip trip = end.trips().get(0);
        assertThat(trip.id()).isEqualTo("t-1");
        assertThat(trip.distanceKm()).isEqualTo(1.0);
        assertThat(trip.records()).isEqualTo(4);
        assertThat(trip.gpsDistanceKm()).isCloseTo(Geo.distanceM(52.52, 13.4, 52.523, 13.4) / 1000, within(0.002));
        assertThat(trip.maxSpeedKmh()).isEqualTo(45.0);
    }

    @Test
    void aShortDrive_thatAWholeKmOdometerDoesNotSee_takesItsDistanceFromTheGpsPath_andSaysSo() {
        // 52.520 -> 52.523: about 334 m; the odometer counts whole km and stays at 1000
        Run run = run(TripProgress.NONE, List.of(
                rec(1, 0, 52.520, 13.40, 0, 1000.0, true),
                rec(2, 20, 52.5215, 13.40, 30, 1000.0, true),
                rec(3, 40, 52.523, 13.40, 0, 1000.0, false)), null);

        Trip trip = run.trips().get(0);
        double gps = Geo.distanceM(52.520, 13.40, 52.523, 13.40) / 1000;
        assertThat(trip.distanceKm()).as("the odometer delta is kept as it was read").isEqualTo(0.0);
        assertThat(trip.gpsDistanceKm()).isCloseTo(gps, within(0.002));
        assertThat(trip.distanceSource()).isEqualTo(Trip.GPS);
        assertThat(trip.bestDistanceKm()).isEqualTo(trip.gpsDistanceKm()).isGreaterThan(0.3);
        assertThat(trip.withoutPath().distanceSource()).isEqualTo(Trip.GPS);
    }

    @Test
    void fromTheOdometersResolutionOn_theOdometerIsTheDistance_andTheGpsPathOnlyTheCrossCheck() {
        // about 3.3 km of GPS path, 3 km on a whole-km odometer
        Run run = run(TripProgress.NONE, List.of(
                rec(1, 0, 52.52, 13.40, 0, 1000.0, true),
                rec(2, 120, 52.535, 13.40, 50, 1002.0, true),
                rec(3, 240, 52.55, 13.40, 0, 1003.0, false)), null);

        Trip trip = run.trips().get(0);
        assertThat(trip.gpsDistanceKm()).isGreaterThan(3.0);
        assertThat(trip.distanceSource()).isEqualTo(Trip.ODOMETER);
        assertThat(trip.bestDistanceKm()).isEqualTo(3.0);
    }

    @Test
    void theDistanceRule_odometerUnlessAbsentOrBelowItsResolutionWhileTheGpsPathIsLonger() {
        assertThat(Trip.sourceOf(null, 0.0)).isEqualTo(Trip.GPS);
        assertThat(Trip.sourceOf(null, 4.2)).isEqualTo(Trip.GPS);
        assertThat(Trip.sourceOf(0.0, 0.4)).isEqualTo(Trip.GPS);
        assertThat(Trip.sourceOf(0.6, 0.9)).isEqualTo(Trip.GPS);
        assertThat(Trip.sourceOf(0.0, 0.0)).as("parked with the engine on: nothing moved").isEqualTo(Trip.ODOMETER);
        assertThat(Trip.sourceOf(0.6, 0.5)).isEqualTo(Trip.ODOMETER);
        assertThat(Trip.sourceOf(Trip.ODOMETER_RESOLUTION_KM, 1.7)).isEqualTo(Trip.ODOMETER);
        assertThat(Trip.sourceOf(12.0, 11.1)).isEqualTo(Trip.ODOMETER);
    }

    @Test
    void totals_sumEachTripsOwnDistance_andNameTheSource_mixedWhenBothOccur() {
        Run shortOne = run(TripProgress.NONE, List.of(
                rec(1, 0, 52.520, 13.40, 0, 1000.0, true),
                rec(2, 40, 52.523, 13.40, 0, 1000.0, false)), null);
        Run longOne = run(shortOne.progress(), List.of(
                rec(3, 100, 52.523, 13.40, 0, 1000.0, true),
                rec(4, 300, 52.55, 13.40, 0, 1003.0, false)), null);
        Trip gpsTrip = shortOne.trips().get(0);
        Trip odoTrip = longOne.trips().get(0);

        Trips.TripTotals both = Trips.totals(List.of(gpsTrip, odoTrip));
        assertThat(both.distanceSource()).isEqualTo(Trips.MIXED);
        assertThat(both.distanceKm()).isCloseTo(gpsTrip.gpsDistanceKm() + 3.0, within(0.001));
        assertThat(Trips.totals(List.of(gpsTrip)).distanceSource()).isEqualTo(Trip.GPS);
        assertThat(Trips.totals(List.of(gpsTrip)).distanceKm()).isEqualTo(gpsTrip.gpsDistanceKm()).isPositive();
        assertThat(Trips.totals(List.of(odoTrip)).distanceSource()).isEqualTo(Trip.ODOMETER);
        assertThat(Trips.totals(List.of()).distanceSource()).isNull();
    }

    @Test
    void aLateRecord_isSkipped_butTheOdometerDistanceStaysExact() {
        Run run = run(TripProgress.NONE, List.of(
                rec(1, 0, 52.52, 13.40, 0, 500.0, true),
                rec(2, 10, 52.53, 13.40, 50, 501.0, true),
                rec(4, 30, 52.55, 13.40, 0, 503.0, false),
                rec(3, 20, 52.54, 13.40, 250, 502.0, true)), null);

        assertThat(run.trips()).hasSize(1);
        assertThat(run.trips().get(0).distanceKm()).isEqualTo(3.0);
        assertThat(run.trips().get(0).maxSpeedKmh()).as("the late record is not applied").isEqualTo(50.0);
        assertThat(run.progress().open()).as("the late ignition-on record starts nothing").isNull();
    }

    @Test
    void withoutIgnitionSignals_noTripStarts_andIgnitionOffWhileMoving_endsNothing() {
        Run unknown = run(TripProgress.NONE, List.of(
                rec(1, 0, 52.52, 13.40, 30.0, 100.0, null, Map.of()),
                rec(2, 10, 52.53, 13.40, 30.0, 100.3, null, Map.of())), null);
        assertThat(unknown.trips()).isEmpty();
        assertThat(unknown.progress().open()).isNull();

        Run coasting = run(TripProgress.NONE, List.of(
                rec(1, 0, 52.52, 13.40, 0, 100.0, true),
                rec(2, 10, 52.53, 13.40, 20.0, 100.3, false),
                rec(3, 20, 52.54, 13.40, 10.0, 100.5, null, Map.of())), null);
        assertThat(coasting.trips()).isEmpty();
        assertThat(coasting.progress().open().records()).isEqualTo(3);
    }

    @Test
    void aGapLongerThanTheLimit_endsTheTripAtTheRecordBeforeIt_andTheNextRecordMayStartAnother() {
        long gap = TripSegmenter.MAX_GAP.toSeconds() + 60;
        Run run = run(TripProgress.NONE, List.of(
                rec(1, 0, 52.52, 13.40, 0, 100.0, true),
                rec(2, 60, 52.53, 13.40, 50, 101.0, true),
                rec(3, 60 + gap, 52.60, 13.40, 30, 110.0, true),
                rec(4, 120 + gap, 52.61, 13.40, 0, 111.0, false)), null);

        assertThat(run.trips()).extracting(Trip::endReason).containsExactly("GAP", "IGNITION_OFF");
        assertThat(run.trips().get(0).endTime()).isEqualTo(T0.plusSeconds(60));
        assertThat(run.trips().get(0).distanceKm()).isEqualTo(1.0);
        assertThat(run.trips().get(1).id()).isEqualTo("t-3");
        assertThat(run.trips().get(1).distanceKm()).isEqualTo(1.0);
    }

    @Test
    void fuelAndCharge_usedAreTheLevelsAtTheStartMinusTheEnd() {
        Map<String, Double> full = new HashMap<>();
        full.put("Vehicle.Powertrain.FuelSystem.RelativeLevel", 80.0);
        full.put("Vehicle.Powertrain.TractionBattery.StateOfCharge.Current", 90.0);
        Map<String, Double> later = Map.of("Vehicle.Powertrain.FuelSystem.RelativeLevel", 72.5,
                "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current", 61.0);
        Run run = run(TripProgress.NONE, List.of(
                rec(1, 0, 52.52, 13.40, 0.0, 10.0, true, full),
                rec(2, 60, 52.53, 13.40, 30.0, 11.0, true, Map.of()),
                rec(3, 120, 52.54, 13.40, 0.0, 12.0, false, later)), null);

        Trip trip = run.trips().get(0);
        assertThat(trip.fuelStartPct()).isEqualTo(80.0);
        assertThat(trip.fuelEndPct()).isEqualTo(72.5);
        assertThat(trip.fuelUsedPct()).isEqualTo(7.5);
        assertThat(trip.socUsedPct()).isEqualTo(29.0);
    }

    @Test
    void leavingTheHomeZone_isOneExit_notOnePerRecord_andNoiseAtTheEdgeRaisesNothing() {
        HomeZone zone = new HomeZone(52.52, 13.40, 500);
        double metre = 1.0 / 111_195; // degrees of latitude per metre
        Run run = run(TripProgress.NONE, List.of(
                rec(1, 0, 52.52, 13.40, 0, 1.0, true),
                rec(2, 10, 52.52 + 520 * metre, 13.40, 30, 1.5, true),  // out
                rec(3, 20, 52.52 + 800 * metre, 13.40, 30, 1.8, true),  // still out
                rec(4, 30, 52.52 + 480 * metre, 13.40, 30, 2.1, true),  // just inside: within the margin, still out
                rec(5, 40, 52.52 + 520 * metre, 13.40, 30, 2.4, true),  // nothing new
                rec(6, 50, 52.52 + 100 * metre, 13.40, 30, 2.9, true),  // back
                rec(7, 60, 52.52 + 900 * metre, 13.40, 30, 3.4, true)), zone); // out again
        assertThat(run.exits()).isEqualTo(2);
        assertThat(run.progress().outsideHomeZone()).isTrue();
        assertThat(run(TripProgress.NONE, List.of(rec(1, 0, 52.60, 13.40, 0, 1.0, true)), null).exits()).isZero();
    }

    @Test
    void longPaths_areSimplified_toABoundedNumberOfPoints_keepingBothEnds() {
        List<TelemetryRecord> drive = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            double lat = 52.0 + i * 0.0001;
            double lon = 13.0 + 0.001 * Math.sin(i / 20.0);
            drive.add(rec(i + 1, i, lat, lon, i < 4999 ? 50 : 0, 100 + i * 0.01, i < 4999));
        }
        Run run = run(TripProgress.NONE, drive, null);
        Trip trip = run.trips().get(0);
        assertThat(trip.path()).hasSizeLessThanOrEqualTo(TripSegmenter.MAX_PATH_POINTS).hasSizeGreaterThan(20);
        assertThat(trip.path().get(0)).containsExactly(13.0, 52.0);
        assertThat(trip.path().get(trip.path().size() - 1).get(1)).isCloseTo(52.0 + 4999 * 0.0001, within(1e-6));
        assertThat(trip.records()).isEqualTo(5000);
    }
}
