package io.latchkey.cloud.mqtt.security;

import java.util.Optional;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/**
 * The public key of a device's active, unrevoked, current certificate, ready to verify its signatures
 * (acknowledgements, connect tokens). Owned here so that the broker can ask without depending on the
 * feature that keeps device identities; implemented by {@code device.ActiveDeviceKeys}.
 */
public interface DeviceKeys {
    /** Empty for an unknown device, or one whose certificate is revoked, expired or not on record. */
    Optional<ECPublicKeyParameters> activeKey(String tenant, String deviceId);
}
