package io.latchkey.cloud.device;

import java.util.List;

/**
 * The tenant's update-verification public keys (Ed25519, for over-the-air bundles), to list in its key set as
 * {@code UPDATE}: implemented by the feature that keeps them. Without one, a key set names no update keys.
 */
public interface UpdateKeySource {
    /** A public key as devices pin it: its id and base64 X.509 SubjectPublicKeyInfo. */
    record PublicKey(String kid, String publicKey) {
    }

    List<PublicKey> updateKeys(String tenant);
}
