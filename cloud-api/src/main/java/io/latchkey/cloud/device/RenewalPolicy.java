package io.latchkey.cloud.device;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How devices renew their certificates (docs/device-identity.md, "Renewal").
 *
 * @param allowSameKey {@code latchkey.devices.renewal.allow-same-key}: accept a renewal request for the key the device
 *                     already has (default false: a renewal brings a new key, so a key copied off a device stops working
 *                     at the next renewal)
 * @param grace        {@code latchkey.devices.renewal.grace}: how long after its certificate expired a device may still
 *                     renew with a request signed by that certificate's key (the recovery of a car that was offline
 *                     across its expiry); default 30 days, 0 turns it off
 */
@ConfigurationProperties("latchkey.devices.renewal")
public record RenewalPolicy(@Bindable(defaultValue = "false") boolean allowSameKey,
                            @Bindable(defaultValue = "30d") Duration grace) {
    public RenewalPolicy {
        if (grace == null || grace.isNegative()) {
            throw new ConfigurationException("latchkey.devices.renewal.grace must be a duration of 0 or more, got " + grace);
        }
    }
}
