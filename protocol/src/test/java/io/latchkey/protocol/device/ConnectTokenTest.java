package io.latchkey.protocol.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.protocol.MalformedMessageException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConnectTokenTest {
    private static KeyPair p256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    @Test
    void token_verifiesWithTheDeviceKey_only() throws Exception {
        KeyPair device = p256();
        Instant now = Instant.parse("2026-11-23T17:00:00Z");
        String token = ConnectToken.issue("acme", "dev-001", now, new byte[16], new DeviceSigner(device.getPrivate()));
        ConnectToken read = ConnectToken.verify(token, DeviceKeys.verification(device.getPublic()));
        assertThat(read.tenant()).isEqualTo("acme");
        assertThat(read.deviceId()).isEqualTo("dev-001");
        assertThat(read.issuedAt()).isEqualTo(now);
        assertThatThrownBy(() -> ConnectToken.verify(token, DeviceKeys.verification(p256().getPublic())))
                .isInstanceOf(MalformedMessageException.class);
        assertThatThrownBy(() -> ConnectToken.verify("secret", DeviceKeys.verification(device.getPublic())))
                .isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void anotherCurve_isNotADeviceKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        assertThatThrownBy(() -> new DeviceSigner(g.generateKeyPair().getPrivate()))
                .isInstanceOf(io.latchkey.protocol.ProtocolException.class);
    }
}
