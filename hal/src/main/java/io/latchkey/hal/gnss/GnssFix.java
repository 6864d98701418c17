package io.latchkey.hal.gnss;

import java.time.Instant;

/**
 * A position report in gpsd's TPV terms.
 *
 * @param time     UTC time of the fix, absent when the receiver has no date yet
 * @param mode     1 no fix, 2 two-dimensional, 3 three-dimensional
 * @param lat      degrees, south negative; absent without a fix
 * @param lon      degrees, west negative; absent without a fix
 * @param altMsl   metres above mean sea level; absent without a 3D fix
 * @param speedMps metres per second over ground
 * @param trackDeg course over ground, degrees true
 */
public record GnssFix(Instant time, int mode, Double lat, Double lon, Double altMsl, Double speedMps, Double trackDeg) {
    public static final int MODE_NO_FIX = 1;
    public static final int MODE_2D = 2;
    public static final int MODE_3D = 3;

    public boolean hasPosition() {
        return mode >= MODE_2D && lat != null && lon != null;
    }
}
