package io.latchkey.hal.can.obd;

import io.latchkey.hal.can.CanFrame;
import io.latchkey.hal.can.SimulatedCanBus;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An engine ECU on a {@link SimulatedCanBus}: answers mode 01 requests for the PIDs it has values for,
 * from 0x7E8, and stays silent for the others, as real ECUs do on functional requests.
 */
public final class SimulatedObdEcu {
    private final SimulatedCanBus bus;
    private final int responseId;
    private final Map<ObdPid, Double> values = new ConcurrentHashMap<>();

    public SimulatedObdEcu(SimulatedCanBus bus) {
        this(bus, ObdFrames.FIRST_RESPONSE_ID);
    }

    public SimulatedObdEcu(SimulatedCanBus bus, int responseId) {
        if (responseId < ObdFrames.FIRST_RESPONSE_ID || responseId > ObdFrames.LAST_RESPONSE_ID) {
            throw new IllegalArgumentException("ECU response ids are 0x7E8..0x7EF");
        }
        this.bus = bus;
        this.responseId = responseId;
        bus.onSend(this::onRequest);
    }

    /** Sets what the ECU reports for a PID; throws if the PID's encoding cannot carry the value. */
    public void set(ObdPid pid, double value) {
        pid.encode(value);
        values.put(pid, value);
    }

    public void clear(ObdPid pid) {
        values.remove(pid);
    }

    private void onRequest(CanFrame frame) {
        int requested = ObdFrames.requestedPid(frame);
        ObdPid pid = ObdPid.of(requested);
        Double value = pid == null ? null : values.get(pid);
        if (value != null) {
            bus.inject(ObdFrames.response(responseId, pid.pid(), pid.encode(value)));
        }
    }
}
