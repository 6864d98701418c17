package io.latchkey.agent.mqtt;

import io.latchkey.protocol.device.ConnectToken;
import io.latchkey.protocol.device.DeviceSigner;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How the device proves who it is where there is no client certificate (the broker's plain listener):
 * MQTT CONNECT username = its client id, password = a fresh {@link ConnectToken} signed by its device key,
 * made anew for every connection attempt (a token is single-use and short-lived).
 */
public final class ConnectCredentials {
    private final String tenant;
    private final String deviceId;
    private final DeviceSigner signer;
    private final Clock clock;
    private final RandomGenerator random;

    /** @param random nonces; a {@link SecureRandom} outside simulations */
    public ConnectCredentials(String tenant, String deviceId, DeviceSigner signer, Clock clock, RandomGenerator random) {
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    public String username() {
        return DeviceClientId.of(tenant, deviceId);
    }

    /** A new token, valid for one connection. */
    public byte[] password() {
        byte[] nonce = new byte[18];
        random.nextBytes(nonce);
        return ConnectToken.bytes(ConnectToken.issue(tenant, deviceId, clock.instant(), nonce, signer));
    }
}
