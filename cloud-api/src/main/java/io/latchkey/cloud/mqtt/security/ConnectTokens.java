package io.latchkey.cloud.mqtt.security;

import io.latchkey.protocol.MalformedMessageException;
import io.latchkey.protocol.device.ConnectToken;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;

/**
 * Checks the proof a device gives on the plain listener, where it has no client certificate: a
 * {@link ConnectToken} as the CONNECT password, signed by the key of the device's active certificate,
 * naming the tenant and device of the client id, issued at most {@link #MAX_AGE} ago (and at most
 * {@link #MAX_SKEW} ahead of this clock), and never seen before (its nonce is remembered until it expires).
 */
public final class ConnectTokens {
    /** A token is made at each connection attempt; it only has to outlive the reconnection delay (at most 60 s by default). */
    static final Duration MAX_AGE = Duration.ofMinutes(2);
    static final Duration MAX_SKEW = Duration.ofSeconds(30);

    private final DeviceKeys keys;
    private final Clock clock;
    private final Map<String, Instant> seen = new ConcurrentHashMap<>();

    public ConnectTokens(DeviceKeys keys, Clock clock) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Empty when the proof holds; otherwise why not (no secrets in it). */
    public Optional<String> refusal(MqttIdentity.Device claimed, String username, byte[] password) {
        if (!claimed.clientId().equals(username) || password == null) {
            return Optional.of("a device proves its client id with username = client id and a signed connect token as password");
        }
        Optional<ECPublicKeyParameters> key = keys.activeKey(claimed.tenant(), claimed.deviceId());
        if (key.isEmpty()) {
            return Optional.of("no active certificate for " + claimed.clientId());
        }
        ConnectToken token;
        try {
            token = ConnectToken.verify(new String(password, java.nio.charset.StandardCharsets.UTF_8), key.get());
        } catch (MalformedMessageException e) {
            return Optional.of("connect token refused: " + e.getMessage());
        }
        if (!token.tenant().equals(claimed.tenant()) || !token.deviceId().equals(claimed.deviceId())) {
            return Optional.of("connect token is for another device");
        }
        Instant now = clock.instant();
        if (token.issuedAt().isBefore(now.minus(MAX_AGE)) || token.issuedAt().isAfter(now.plus(MAX_SKEW))) {
            return Optional.of("connect token expired or not yet valid (issued " + token.issuedAt() + ", now " + now + ")");
        }
        forgetExpired(now);
        Instant expiry = token.issuedAt().plus(MAX_AGE);
        if (seen.putIfAbsent(claimed.clientId() + "/" + token.nonce(), expiry) != null) {
            return Optional.of("connect token replayed");
        }
        return Optional.empty();
    }

    private void forgetExpired(Instant now) {
        if (seen.size() > 1_000) {
            seen.values().removeIf(expiry -> expiry.isBefore(now));
        }
    }
}
