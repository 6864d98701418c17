package io.latchkey.cloud.event;

/**
 * Published (Micronaut {@code ApplicationEventPublisher}, synchronously, after the event is stored) once per new
 * event, for whoever streams events live: listen with {@code @EventListener void on(EventRaised e)}. A redelivered
 * or re-raised event is not published again.
 */
public record EventRaised(String tenant, Event event) {
}
