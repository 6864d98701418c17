package io.latchkey.cloud.pki;

import io.latchkey.protocol.Ids;
import io.latchkey.protocol.Topic;
import java.util.Optional;

/**
 * The URIs that Latchkey certificates carry in their subjectAltName. Device and car URIs differ in
 * their number of segments, so a tenant that happens to be called {@code car} cannot be confused
 * with a car binding:
 * <ul>
 *   <li>device: {@code urn:latchkey:{tenant}:{deviceId}}</li>
 *   <li>car the device is fitted to: {@code urn:latchkey:car:{tenant}:{carId}}</li>
 *   <li>platform service: {@code urn:latchkey:service:{name}} (only ever issued by the platform CA)</li>
 * </ul>
 */
public final class LatchkeyUrns {
    static final String PREFIX = "urn:latchkey:";

    private LatchkeyUrns() {
    }

    public static String device(String tenant, String deviceId) {
        Topic.requireTenantId(tenant);
        Topic.requireDeviceId(deviceId);
        return PREFIX + tenant + ":" + deviceId;
    }

    public static String car(String tenant, String carId) {
        Topic.requireTenantId(tenant);
        return PREFIX + "car:" + tenant + ":" + requireCarId(carId);
    }

    public static String service(String name) {
        return PREFIX + "service:" + requireServiceName(name);
    }

    /** Car ids are {@link Ids}: letters, digits, '-' and '_', at most 64. */
    public static String requireCarId(String carId) {
        if (!Ids.isValid(carId)) {
            throw new PkiException("car id must be letters, digits, '-' or '_' (at most 64), got '" + carId + "'");
        }
        return carId;
    }

    public static String requireServiceName(String name) {
        if (!Ids.isValid(name)) {
            throw new PkiException("service name must be letters, digits, '-' or '_' (at most 64), got '" + name + "'");
        }
        return name;
    }

    /** {tenant, deviceId} if the URI is a device URI. */
    static Optional<String[]> parseDevice(String uri) {
        String[] parts = segments(uri);
        if (parts.length == 2 && Topic.isValidTenantId(parts[0]) && Topic.isValidDeviceId(parts[1])) {
            return Optional.of(parts);
        }
        return Optional.empty();
    }

    /** {tenant, carId} if the URI is a car URI. */
    static Optional<String[]> parseCar(String uri) {
        String[] parts = segments(uri);
        if (parts.length == 3 && "car".equals(parts[0]) && Topic.isValidTenantId(parts[1]) && Ids.isValid(parts[2])) {
            return Optional.of(new String[] {parts[1], parts[2]});
        }
        return Optional.empty();
    }

    /** The service name if the URI is a service URI. */
    public static Optional<String> parseService(String uri) {
        String[] parts = segments(uri);
        if (parts.length == 2 && "service".equals(parts[0]) && Ids.isValid(parts[1])) {
            return Optional.of(parts[1]);
        }
        return Optional.empty();
    }

    private static String[] segments(String uri) {
        if (uri == null || !uri.startsWith(PREFIX)) {
            return new String[0];
        }
        return uri.substring(PREFIX.length()).split(":", -1);
    }
}
