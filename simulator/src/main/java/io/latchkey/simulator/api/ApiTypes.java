package io.latchkey.simulator.api;

import io.latchkey.protocol.LockState;
import java.time.Instant;
import java.util.List;

/** The shapes of the public API (docs/api.md) that the simulator reads; unknown fields are ignored. */
public final class ApiTypes {
    private ApiTypes() {
    }

    public record Token(String access_token, String token_type, long expires_in, String refresh_token, String scope) {
    }

    public record CommandKey(String kid, String alg, String publicKey) {
    }

    /**
     * {@code POST /t/{tenant}/devices/{deviceId}/certificate}: the device's certificate (PEM) and the tenant's
     * key-set signing keys the device pins.
     */
    public record IssuedCertificate(String certificate, List<CommandKey> keySetKeys) {
    }

    /** {@code GET /t/{tenant}/.well-known/latchkey-device}. */
    public record DeviceDiscovery(String tenant, String mqttUrl, List<CommandKey> commandKeys) {
    }

    public record User(String id, String email, String name, List<String> roles) {
    }

    public record Car(String id, String name, String plate, String deviceId) {
    }

    public record CarState(Boolean online, LockState lockState, Boolean doorsOpen, Boolean ignition, Double lat, Double lon,
                           Double speedKmh, Double odometerKm, Long lastSeq, Instant lastSeen, Double fuelPercent,
                           Double socPercent) {
    }

    /** {@code GET /t/{tenant}/cars/{carId}}: the car and its latest state. */
    public record CarDetail(String id, String name, String plate, String deviceId, CarState state) {
    }

    /**
     * A booking (docs/api.md, Bookings). {@code state}: CONFIRMED, ACTIVE, ENDED, CANCELLED, NO_SHOW; {@code kind}:
     * SCHEDULED or IMMEDIATE; fields not set yet are null.
     */
    public record Booking(String id, String carId, String userId, Instant start, Instant end, Instant createdAt,
                          String state, String kind, Instant holdUntil, Instant startedAt, Instant endedAt,
                          Instant cancelledAt, String cancelledBy, Instant lapsedAt, Boolean overdue) {
        public boolean isOverdue() {
            return Boolean.TRUE.equals(overdue);
        }
    }

    /** {@code GET /t/{tenant}/bookings}: one page; {@code next} is null on the last page. */
    public record BookingPage(List<Booking> items, int page, int size, long total, String next) {
        public BookingPage {
            items = items == null ? List.of() : items; // the backend leaves empty lists out
        }

    }

    /** The list's filters; null or empty ones are left out. */
    public record BookingFilter(String carId, String userId, List<String> states, Instant from, Instant to,
                                Integer page, Integer size) {
        public static BookingFilter all() {
            return new BookingFilter(null, null, List.of(), null, null, null, null);
        }

        public BookingFilter withCar(String car) {
            return new BookingFilter(car, userId, states, from, to, page, size);
        }

        public BookingFilter withStates(String... s) {
            return new BookingFilter(carId, userId, List.of(s), from, to, page, size);
        }

        public BookingFilter withPage(int p, int s) {
            return new BookingFilter(carId, userId, states, from, to, p, s);
        }
    }

    /** {@code GET /t/{tenant}/cars/available}: a free car, with its last known position (and distance when asked near one). */
    public record AvailableCar(String id, String name, String plate, Double lat, Double lon, Instant lastSeen,
                               Boolean online, Long distanceM) {
    }

    /**
     * The answer of {@code POST /t/{tenant}/bookings/{id}/end}, whatever its status: 200 with {@code ended} true
     * (the booking, now ENDED, and the receipt) or false (the failed checks, in words for the borrower); any
     * other status with the problem's body in {@code problem}.
     */
    public record EndAnswer(int status, Boolean ended, Booking booking, Receipt receipt, List<String> failed,
                            String problem) {
        public boolean isEnded() {
            return status == 200 && Boolean.TRUE.equals(ended);
        }

        public boolean isRefusedByTheCar() {
            return status == 200 && Boolean.FALSE.equals(ended);
        }
    }

    /**
     * The rental receipt that comes with an ended booking: from the first unlock to the end the car confirmed, and
     * the trips that started in between ({@code distanceKm}: odometer where the car has one, else the GPS path;
     * {@code drivingS}: the trips' summed duration; {@code car}: its name and plate).
     */
    public record Receipt(String bookingId, String carId, String car, Instant startedAt, Instant endedAt, Long durationS,
                          Double distanceKm, Integer tripCount, Long drivingS, Double maxSpeedKmh, Double fuelUsedPct,
                          Double socUsedPct, Boolean overdue, List<Trip> trips, String distanceSource) {
    }

    /** A trip (docs/api.md, Trips); the end values of an ongoing one are those of its latest record. */
    public record Trip(String id, String carId, Boolean ongoing, Instant startTime, Instant endTime, Double startLat,
                       Double startLon, Double endLat, Double endLon, Double odometerStartKm, Double odometerEndKm,
                       Double distanceKm, Double gpsDistanceKm, Long durationS, Double maxSpeedKmh, Double fuelUsedPct,
                       Double socUsedPct, String endReason, Long startSeq, Long endSeq, Integer records,
                       String distanceSource) {
        public boolean isOngoing() {
            return Boolean.TRUE.equals(ongoing);
        }
    }

    /** {@code GET /t/{tenant}/cars/{carId}/trips}: newest first; pass {@code next} as the cursor. */
    public record TripPage(List<Trip> trips, String next) {
        public TripPage {
            trips = trips == null ? List.of() : trips; // the backend leaves empty lists out
        }

    }

    /** {@code GET /t/{tenant}/bookings/{id}/trips}. */
    public record BookingTrips(String bookingId, String carId, Instant start, Instant end, TripTotals totals) {
    }

    public record TripTotals(List<Trip> trips, Integer count, Double distanceKm, Double gpsDistanceKm, Long durationS,
                             Double maxSpeedKmh, Double fuelUsedPct, Double socUsedPct, String distanceSource) {
        public TripTotals {
            trips = trips == null ? List.of() : trips; // the backend leaves empty lists out
        }

    }

    /** A stored event (device-reported or raised by the backend, e.g. BOOKING_OVERDUE). */
    public record Event(String id, String carId, String deviceId, String type, String source, Instant at,
                        Instant receivedAt, java.util.Map<String, Object> details, Boolean alert, String acknowledgedBy,
                        Instant acknowledgedAt) {
    }

    /** One record of {@code GET /t/{tenant}/audit}. */
    public record AuditRecord(long index, String actor, Instant time, String action, String subject, String outcome) {
    }

    /** {@code GET /t/{tenant}/events}: newest first. */
    public record EventPage(List<Event> events, String next) {
        public EventPage {
            events = events == null ? List.of() : events; // the backend leaves empty lists out
        }

    }

    /** The body of a command answer (200, 409 and 502 alike). */
    /** {@code failed}: the checks the car refused the command for (IMMOBILISE, END_RENTAL), else null. */
    public record CommandResult(String commandId, String type, String outcome, String reason, LockState lockState,
                                Boolean doorsOpen, Boolean duplicate, Long elapsedMs, java.util.List<String> failed) {
    }

    /**
     * What the caller saw: the HTTP status, the parsed result when the body was one, and the round trip
     * measured on this side. {@code problem} holds the error body otherwise.
     */
    public record CommandResponse(int status, CommandResult result, String problem, long roundTripMicros) {
        public boolean executed() {
            return status == 200 && result != null && "EXECUTED".equals(result.outcome());
        }
    }

    public record TelemetryRecord(long seq, Instant time, Double lat, Double lon, Double speedKmh, Double odometerKm,
                                  LockState lockState, Boolean doorsOpen, Boolean ignition, String reason) {
    }
}
