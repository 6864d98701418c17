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

    public record Booking(String id, String carId, String userId, Instant start, Instant end) {
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
