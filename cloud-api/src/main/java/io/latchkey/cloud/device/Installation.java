package io.latchkey.cloud.device;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * What a car shows about its install: the last self-test report signed by the device's own key.
 * {@code status} is {@code VERIFIED} when every check passed, else {@code CHECKS_FAILED} with the
 * failed checks listed.
 */
@Serdeable
public record Installation(String status, String deviceId, String certificateSerial, String installer,
                           Instant finishedAt, Instant receivedAt, int checks, List<FailedCheck> failedChecks) {
    public static final String VERIFIED = "VERIFIED";
    public static final String CHECKS_FAILED = "CHECKS_FAILED";

    public Installation {
        failedChecks = failedChecks == null ? List.of() : List.copyOf(failedChecks);
    }

    @Serdeable
    public record FailedCheck(String name, String detail, String hint) {
    }
}
