package io.latchkey.protocol.command;

import io.latchkey.protocol.MalformedMessageException;

/**
 * Where a returned car must be parked: a circle around a centre, sent inside a signed
 * {@link CommandType#END_RENTAL} command so that the car checks the zone the cloud signed, not one a
 * man in the middle chose.
 *
 * @param lat     centre latitude, degrees, south negative
 * @param lon     centre longitude, degrees, west negative
 * @param radiusM radius in metres, more than 0 and at most {@value #MAX_RADIUS_M}
 */
public record HomeZone(double lat, double lon, double radiusM) {
    /** A zone larger than a city is a mistake, not a zone. */
    public static final double MAX_RADIUS_M = 50_000;

    private static final double EARTH_RADIUS_M = 6_371_008.8;

    public HomeZone {
        if (!(lat >= -90 && lat <= 90)) {
            throw new MalformedMessageException("zone lat must be between -90 and 90");
        }
        if (!(lon >= -180 && lon <= 180)) {
            throw new MalformedMessageException("zone lon must be between -180 and 180");
        }
        if (!(radiusM > 0 && radiusM <= MAX_RADIUS_M)) {
            throw new MalformedMessageException("zone radiusM must be more than 0 and at most " + (long) MAX_RADIUS_M);
        }
    }

    /** Great-circle (haversine) distance in metres from the centre to a position. */
    public double distanceM(double toLat, double toLon) {
        double p1 = Math.toRadians(lat);
        double p2 = Math.toRadians(toLat);
        double dp = p2 - p1;
        double dl = Math.toRadians(toLon - lon);
        double a = Math.sin(dp / 2) * Math.sin(dp / 2) + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
        return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
    }

    public boolean contains(double atLat, double atLon) {
        return distanceM(atLat, atLon) <= radiusM;
    }
}
