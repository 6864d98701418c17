package io.latchkey.cloud.car;

import io.latchkey.cloud.InvalidRequestException;
import io.micronaut.serde.annotation.Serdeable;

/**
 * A car's home zone: a circle around a position (WGS84 degrees) with a radius in metres. A car outside it
 * raises {@code LEFT_HOME_ZONE}; end-of-rental checks may require the car to be parked inside it.
 */
@Serdeable
public record HomeZone(double lat, double lon, double radiusM) {
    public static final double MIN_RADIUS_M = 50;
    public static final double MAX_RADIUS_M = 50_000;

    /**
     * @throws InvalidRequestException naming the field, for a latitude outside [-90, 90], a longitude outside
     *                                 [-180, 180] or a radius outside [{@value #MIN_RADIUS_M}, {@value #MAX_RADIUS_M}] m
     */
    public static HomeZone of(Double lat, Double lon, Double radiusM) {
        if (lat == null || !Double.isFinite(lat) || lat < -90 || lat > 90) {
            throw new InvalidRequestException("lat is required, degrees between -90 and 90");
        }
        if (lon == null || !Double.isFinite(lon) || lon < -180 || lon > 180) {
            throw new InvalidRequestException("lon is required, degrees between -180 and 180");
        }
        if (radiusM == null || !Double.isFinite(radiusM) || radiusM < MIN_RADIUS_M || radiusM > MAX_RADIUS_M) {
            throw new InvalidRequestException("radiusM is required, metres between " + (int) MIN_RADIUS_M + " and " + (int) MAX_RADIUS_M);
        }
        return new HomeZone(lat, lon, radiusM);
    }

    /** Metres from the zone's centre to a position. */
    public double distanceM(double lat, double lon) {
        return Geo.distanceM(this.lat, this.lon, lat, lon);
    }

    public boolean contains(double lat, double lon) {
        return distanceM(lat, lon) <= radiusM;
    }
}
