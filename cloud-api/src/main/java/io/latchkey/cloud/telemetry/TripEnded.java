package io.latchkey.cloud.telemetry;

/**
 * Published (Micronaut {@code ApplicationEventPublisher}, synchronously) after a finished trip is stored, once per
 * trip (a trip found already stored after a crash is not published again): for a rental receipt or a live view.
 * A listener that throws is logged; ingestion goes on. Listen with {@code @EventListener void on(TripEnded e)}.
 */
public record TripEnded(String tenant, Trip trip) {
}
