package io.latchkey.simulator.route;

/** A point on the earth, in degrees; distances on a local flat approximation (fine within a city). */
public record GeoPoint(double lat, double lon) {
    private static final double EARTH_RADIUS_M = 6_371_000;

    public double distanceM(GeoPoint other) {
        double dLat = Math.toRadians(other.lat - lat);
        double dLon = Math.toRadians(other.lon - lon) * Math.cos(Math.toRadians((lat + other.lat) / 2));
        return Math.hypot(dLat, dLon) * EARTH_RADIUS_M;
    }

    /** Initial course to {@code other}, degrees clockwise from north. */
    public double bearingDeg(GeoPoint other) {
        double dLat = other.lat - lat;
        double dLon = (other.lon - lon) * Math.cos(Math.toRadians(lat));
        return (Math.toDegrees(Math.atan2(dLon, dLat)) + 360) % 360;
    }

    /** The point {@code metres} north and {@code eastMetres} east of this one. */
    public GeoPoint offset(double northMetres, double eastMetres) {
        double dLat = Math.toDegrees(northMetres / EARTH_RADIUS_M);
        double dLon = Math.toDegrees(eastMetres / (EARTH_RADIUS_M * Math.cos(Math.toRadians(lat))));
        return new GeoPoint(lat + dLat, lon + dLon);
    }

    /** The point {@code metres} along the straight line to {@code target} (the target itself if closer). */
    public GeoPoint toward(GeoPoint target, double metres) {
        double d = distanceM(target);
        if (d <= metres || d == 0) {
            return target;
        }
        double f = metres / d;
        return new GeoPoint(lat + (target.lat - lat) * f, lon + (target.lon - lon) * f);
    }
}
