package io.latchkey.cloud.pki;

import io.latchkey.protocol.Topic;
import java.math.BigInteger;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Who a device certificate speaks for, read from its subjectAltName URIs (see {@link LatchkeyUrns}).
 * Reading it does not make it trusted: the issuer must be checked first.
 */
public record DeviceIdentity(String tenant, String deviceId, String carId, BigInteger serial) {
    private static final int SAN_URI = 6;

    public DeviceIdentity {
        Topic.requireTenantId(tenant);
        Topic.requireDeviceId(deviceId);
        LatchkeyUrns.requireCarId(carId);
    }

    /** Reads the identity; throws {@link UntrustedCertificateException} if it is absent or ambiguous. */
    public static DeviceIdentity of(X509Certificate certificate) {
        List<String[]> devices = new ArrayList<>();
        List<String[]> cars = new ArrayList<>();
        for (String uri : sanUris(certificate)) {
            LatchkeyUrns.parseDevice(uri).ifPresent(devices::add);
            LatchkeyUrns.parseCar(uri).ifPresent(cars::add);
        }
        if (devices.size() != 1 || cars.size() != 1) {
            throw new UntrustedCertificateException("not a Latchkey device certificate: expected one device and one car URI, found "
                    + devices.size() + " and " + cars.size());
        }
        String[] device = devices.get(0);
        String[] car = cars.get(0);
        if (!device[0].equals(car[0])) {
            throw new UntrustedCertificateException("device certificate binds tenant " + device[0] + " to a car of tenant " + car[0]);
        }
        return new DeviceIdentity(device[0], device[1], car[1], certificate.getSerialNumber());
    }

    static List<String> sanUris(X509Certificate certificate) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new UntrustedCertificateException("unreadable subjectAltName: " + e.getMessage(), e);
        }
        List<String> uris = new ArrayList<>();
        if (names != null) {
            for (List<?> name : names) {
                if (name.size() == 2 && Integer.valueOf(SAN_URI).equals(name.get(0)) && name.get(1) instanceof String uri) {
                    uris.add(uri);
                }
            }
        }
        return uris;
    }
}
