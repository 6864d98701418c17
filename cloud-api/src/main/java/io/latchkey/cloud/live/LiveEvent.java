package io.latchkey.cloud.live;

import java.time.Instant;

/**
 * One change published on the {@link LiveFeed}: {@code id} increases per tenant, {@code carId} is the car it
 * concerns (every live event concerns exactly one car, which is what the stream authorises on), {@code type} is
 * one of {@link #STATE}, {@link #POSITION}, {@link #EVENT}, and {@code data} is the record the stream sends as JSON
 * ({@link LiveState} or {@link LiveDeviceEvent}); {@code json} is {@code data} serialised once, when it was
 * published, for every stream that sends it.
 */
public record LiveEvent(long id, String tenant, String carId, String type, Instant publishedAt, Object data, String json) {
    /** Lock, doors, ignition or online changed (or anything from the device state or a command's answer). */
    public static final String STATE = "state";
    /** Telemetry that moved only position, speed, odometer or readings. */
    public static final String POSITION = "position";
    /** Something the car reported (tamper, low voltage, ...). */
    public static final String EVENT = "event";
}
