package io.latchkey.hal.gnss.nmea;

import io.latchkey.hal.gnss.GnssFix;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.HashSet;
import java.util.Set;

/**
 * What the sentences of one receiver cycle said, merged. Each sentence only adds evidence; the fix
 * mode is decided once, in {@link #mode()}, from all of it.
 */
final class EpochState {
    private static final double MPS_PER_KNOT = 1852.0 / 3600.0;

    /** False until a sentence with a time field arrives; then {@link #time} is that field (maybe null). */
    boolean timeKnown;
    LocalTime time;
    final Set<String> timedTypes = new HashSet<>();
    String lastType;

    LocalDate date;
    Double lat;
    Double lon;
    Double altMsl;
    Double speedKnots;
    Double trackDeg;

    /** Evidence about the fix, each null while no sentence of that kind said anything. */
    Boolean rmcValid;
    Boolean ggaValid;
    Boolean gllValid;
    boolean ggaHasAltitude;
    Integer gsaFixType;

    void apply(NmeaSentence sentence) {
        lastType = sentence.type();
        if (sentence instanceof NmeaSentence.Rmc rmc) {
            applyRmc(rmc);
        } else if (sentence instanceof NmeaSentence.Gga gga) {
            applyGga(gga);
        } else if (sentence instanceof NmeaSentence.Gll gll) {
            applyGll(gll);
        } else if (sentence instanceof NmeaSentence.Gsa gsa) {
            gsaFixType = max(gsaFixType, gsa.fixType());
        } else if (sentence instanceof NmeaSentence.Vtg vtg) {
            applyVtg(vtg);
        } else if (sentence instanceof NmeaSentence.Zda zda && zda.date() != null) {
            date = zda.date();
        }
    }

    private void applyRmc(NmeaSentence.Rmc rmc) {
        // Mode indicator N ("data not valid") overrides a status of A on receivers that set both.
        boolean valid = rmc.valid() && (rmc.modeIndicator() == null || rmc.modeIndicator() != 'N');
        rmcValid = valid;
        if (valid) {
            position(rmc.lat(), rmc.lon());
            speedKnots = rmc.speedKnots() != null ? rmc.speedKnots() : speedKnots;
            trackDeg = rmc.trackDeg() != null ? rmc.trackDeg() : trackDeg;
        }
        date = rmc.date() != null ? rmc.date() : date;
    }

    private void applyGga(NmeaSentence.Gga gga) {
        if (gga.quality() == null) {
            // Some receivers (the MyGuide 3100 among them) leave the quality empty while they have no fix.
            return;
        }
        ggaValid = gga.quality() > 0;
        if (ggaValid) {
            position(gga.lat(), gga.lon());
            altMsl = gga.altMsl();
            ggaHasAltitude = gga.altMsl() != null;
        }
    }

    private void applyGll(NmeaSentence.Gll gll) {
        boolean valid = !Boolean.FALSE.equals(gll.valid()) && (gll.modeIndicator() == null || gll.modeIndicator() != 'N');
        gllValid = valid;
        if (valid) {
            position(gll.lat(), gll.lon());
        }
    }

    private void applyVtg(NmeaSentence.Vtg vtg) {
        if (vtg.modeIndicator() != null && vtg.modeIndicator() == 'N') {
            return;
        }
        if (vtg.speedKnots() != null) {
            speedKnots = vtg.speedKnots();
        } else if (vtg.speedKmh() != null) {
            speedKnots = vtg.speedKmh() / 1.852;
        }
        trackDeg = vtg.trackDeg() != null ? vtg.trackDeg() : trackDeg;
    }

    private void position(Double latitude, Double longitude) {
        if (latitude != null && longitude != null) {
            lat = latitude;
            lon = longitude;
        }
    }

    /**
     * Any sentence saying "no fix" wins: a receiver that reports status V in RMC while it still prints
     * its last position must not be taken at its word on the position. Otherwise GSA's fix type, then
     * GGA's altitude, decide between 2D and 3D. Without a position in this cycle there is no fix.
     */
    int mode() {
        boolean anyInvalid = Boolean.FALSE.equals(rmcValid) || Boolean.FALSE.equals(ggaValid)
                || Boolean.FALSE.equals(gllValid) || (gsaFixType != null && gsaFixType == 1);
        boolean anyValid = Boolean.TRUE.equals(rmcValid) || Boolean.TRUE.equals(ggaValid) || Boolean.TRUE.equals(gllValid);
        if (anyInvalid || !anyValid || lat == null) {
            return GnssFix.MODE_NO_FIX;
        }
        if (gsaFixType != null) {
            return gsaFixType;
        }
        return Boolean.TRUE.equals(ggaValid) && ggaHasAltitude ? GnssFix.MODE_3D : GnssFix.MODE_2D;
    }

    GnssFix toFix(java.time.Instant instant) {
        int mode = mode();
        if (mode == GnssFix.MODE_NO_FIX) {
            return new GnssFix(instant, mode, null, null, null, null, null);
        }
        Double speed = speedKnots == null ? null : speedKnots * MPS_PER_KNOT;
        return new GnssFix(instant, mode, lat, lon, mode == GnssFix.MODE_3D ? altMsl : null, speed, trackDeg);
    }

    private static Integer max(Integer a, Integer b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : Math.max(a, b);
    }
}
