package io.latchkey.simulator.people;

import io.latchkey.simulator.api.ApiTypes.CommandResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every command the virtual people sent through the API, and what came back. */
public final class CommandLog {
    /**
     * @param status HTTP status, or -1 when no answer came at all (connection failure, client timeout)
     * @param error  what went wrong without an answer
     */
    public record Entry(String source, String carId, String commandId, String type, int status, String outcome,
                        String reason, long roundTripMicros, Instant sentAt, String error) {
        /**
         * Answered by the car (200, 409, 502), cleanly timed out by the backend (504), or cleanly not sent
         * because the backend had no broker connection (503): a definite answer in every case.
         */
        public boolean answeredOrTimedOut() {
            return status == 200 || status == 409 || status == 502 || status == 503 || status == 504;
        }
    }

    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    public void record(String source, String carId, String commandId, String type, CommandResponse r, Instant sentAt) {
        entries.add(new Entry(source, carId, commandId, type, r.status(),
                r.result() == null ? null : r.result().outcome(), r.result() == null ? null : r.result().reason(),
                r.roundTripMicros(), sentAt, null));
    }

    public void failed(String source, String carId, String commandId, String type, Instant sentAt, String error) {
        entries.add(new Entry(source, carId, commandId, type, -1, null, null, -1, sentAt, error));
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }
}
