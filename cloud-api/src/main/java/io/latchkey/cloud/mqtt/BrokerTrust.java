package io.latchkey.cloud.mqtt;

import io.latchkey.cloud.mqtt.security.DeviceTrust;
import io.latchkey.cloud.pki.DeviceCertificateAuthority;
import io.latchkey.cloud.pki.PlatformCertificateAuthority;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the broker and the backend's own MQTT client need of device identity: the platform CA (broker
 * server certificate, the backend's service identity) and the tenants' device CAs with revocations.
 * Owned here, implemented where device identities are managed ({@code device.DeviceAuthorities}), so
 * that the broker depends on no feature above it.
 */
public interface BrokerTrust {
    PlatformCertificateAuthority platform();

    /** Every tenant CA loaded so far, with revocations: what the broker checks device certificates against. */
    DeviceTrust trust();

    /** The device CA of {@code tenant}, loaded (or created) so that the broker trusts its devices. */
    DeviceCertificateAuthority ensure(String tenant);

    /** The platform CA and every tenant CA loaded so far: the broker's TLS trust store. */
    List<X509Certificate> trustedCas();

    /** Called with every tenant CA loaded after this call (a new tenant, or one first used). */
    void onNewAuthority(Consumer<DeviceCertificateAuthority> listener);
}
