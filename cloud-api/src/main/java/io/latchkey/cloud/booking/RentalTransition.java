package io.latchkey.cloud.booking;

/**
 * Published (Micronaut {@code ApplicationEventPublisher}, synchronously, after the write and its audit record) when a
 * rental starts (a booking became {@code ACTIVE}) or stops (an {@code ACTIVE} booking became {@code ENDED}, or was
 * cancelled by an operator or because its account ended), once per transition: only the caller whose conditional
 * write made it publishes. Listeners must not block or throw (a failure is logged and changes nothing).
 *
 * @param booking the booking as it is now
 * @param started true: the rental started; false: it stopped
 */
public record RentalTransition(String tenant, Booking booking, boolean started) {
}
