package io.latchkey.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.EdECPublicKey;
import org.junit.jupiter.api.Test;

class KeysTest {
    @Test
    void anEd25519KeyPair_keepsItsRawBytes_inBouncyCastleForm() {
        KeyPair pair = Keys.newCommandKeyPair();
        byte[] encoded = pair.getPublic().getEncoded();

        assertThat(Keys.ed25519(pair.getPublic()).getEncoded())
                .isEqualTo(java.util.Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length));
        // the private key's public half is the same key
        assertThat(Keys.ed25519(pair.getPrivate()).generatePublicKey().getEncoded())
                .isEqualTo(Keys.ed25519(pair.getPublic()).getEncoded());
        assertThat(((EdECPublicKey) pair.getPublic()).getParams().getName()).isEqualToIgnoringCase("Ed25519");
    }

    @Test
    void otherKeys_areRefused() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(256);
        KeyPair p256 = ec.generateKeyPair();
        KeyPair ed448 = KeyPairGenerator.getInstance("Ed448").generateKeyPair();

        assertThatThrownBy(() -> Keys.ed25519(p256.getPublic())).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> Keys.ed25519(p256.getPrivate())).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> Keys.ed25519(ed448.getPublic())).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> Keys.ed25519(ed448.getPrivate())).isInstanceOf(ProtocolException.class);
    }
}
