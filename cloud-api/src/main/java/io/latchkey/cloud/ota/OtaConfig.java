package io.latchkey.cloud.ota;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * Over-the-air rollouts on the backend's side (docs/ota.md §8).
 *
 * @param tick             {@code latchkey.ota.tick}: how often the engine goes over the running rollouts (default 30 s;
 *                         it also runs after each status a car sends)
 * @param maxBundleSize    {@code latchkey.ota.max-bundle-size}: the largest bundle accepted at upload, in bytes (default
 *                         64 MiB; the server's {@code micronaut.server.max-request-size} must not be smaller)
 * @param deviceTimeout    {@code latchkey.ota.device-timeout}: a rollout's {@code deviceTimeout} when it names none
 *                         (default 24 h: a car installs only inside its night window)
 * @param bookingLead      {@code latchkey.ota.booking-lead}: a car whose booking starts within this is not offered an
 *                         update (default 2 h)
 * @param maxDeferral      {@code latchkey.ota.max-deferral}: a car deferred (busy) longer than this since its wave
 *                         started times out of the rollout (default 7 days)
 * @param reoffer          {@code latchkey.ota.reoffer}: an offered car that has not answered is sent the offer again
 *                         after this (default 10 min; the car ignores a repeat of the offer under way)
 * @param downloadValidity {@code latchkey.ota.download-validity}: how long the download link in an offer is good for
 *                         (default 14 days; a download deferred by the car's byte budget resumes within it)
 */
@ConfigurationProperties("latchkey.ota")
public record OtaConfig(@Bindable(defaultValue = "30s") Duration tick,
                        @Bindable(defaultValue = "67108864") long maxBundleSize,
                        @Bindable(defaultValue = "24h") Duration deviceTimeout,
                        @Bindable(defaultValue = "2h") Duration bookingLead,
                        @Bindable(defaultValue = "7d") Duration maxDeferral,
                        @Bindable(defaultValue = "10m") Duration reoffer,
                        @Bindable(defaultValue = "14d") Duration downloadValidity) {
}
