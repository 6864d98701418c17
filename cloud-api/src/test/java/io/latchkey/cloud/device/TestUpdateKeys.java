package io.latchkey.cloud.device;

import io.latchkey.protocol.Keys;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * A stand-in for the OTA feature's update keys, present only in {@link DeviceIdentityIT}'s backend: tenant {@code acme}
 * has two, every other tenant none.
 */
@Singleton
@Requires(property = "test.update-keys", value = "true")
public class TestUpdateKeys implements UpdateKeySource {
    static final String UPD_1 = Keys.encodePublic(Keys.newCommandKeyPair().getPublic());
    static final String UPD_2 = Keys.encodePublic(Keys.newCommandKeyPair().getPublic());

    @Override
    public List<PublicKey> updateKeys(String tenant) {
        return "acme".equals(tenant) ? List.of(new PublicKey("upd-1", UPD_1), new PublicKey("upd-2", UPD_2)) : List.of();
    }
}
