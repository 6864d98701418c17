package io.latchkey.hal.can.obd;

import io.latchkey.hal.Registration;
import io.latchkey.hal.can.CanBus;
import io.latchkey.hal.can.CanFrame;
import io.latchkey.hal.vehicle.MutableVehicleSignals;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads vehicle signals over OBD-II: what a car's DBC profile does not carry, or everything for a car
 * without one. Each {@link #pollNext()} sends the next PID's request, round robin; responses arrive
 * through the bus listener this class registers and are written under the PID's VSS name. The agent
 * calls {@code pollNext()} on its own schedule (a request every 100 ms is gentle on any ECU). PIDs the
 * car does not support get no answer, which is counted as {@link #unanswered()} when the same PID comes
 * round again. {@link #close()} detaches the poller from the bus, which stays open (it belongs to
 * whoever opened it).
 */
public final class ObdPoller implements AutoCloseable {
    private final CanBus bus;
    private final MutableVehicleSignals target;
    private final List<ObdPid> pids;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong responses = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong unanswered = new AtomicLong();
    private final boolean[] awaiting;
    private final Registration registration;
    private boolean closed;

    public ObdPoller(CanBus bus, MutableVehicleSignals target, List<ObdPid> pids) {
        if (pids.isEmpty()) {
            throw new IllegalArgumentException("no PIDs to poll");
        }
        this.bus = bus;
        this.target = target;
        this.pids = List.copyOf(pids);
        this.awaiting = new boolean[this.pids.size()];
        this.registration = bus.addListener(this::onFrame);
    }

    /**
     * Sends the request for the next PID in turn; does nothing once closed. Throws the bus's
     * {@link io.latchkey.hal.can.CanException} if it refuses the frame (the request then counts as
     * unanswered when its PID comes round again).
     */
    public synchronized void pollNext() {
        if (closed) {
            return;
        }
        int i = Math.floorMod(next.getAndIncrement(), pids.size());
        synchronized (awaiting) {
            if (awaiting[i]) {
                unanswered.incrementAndGet();
            }
            awaiting[i] = true;
        }
        bus.send(ObdFrames.request(pids.get(i).pid()));
    }

    public long responses() {
        return responses.get();
    }

    /** Frames from an ECU's response address that were not a well-formed answer to a polled PID. */
    public long malformed() {
        return malformed.get();
    }

    public long unanswered() {
        return unanswered.get();
    }

    /** Stops polling and detaches from the bus; no request is sent after this returns. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        registration.close();
    }

    private void onFrame(CanFrame frame) {
        if (!ObdFrames.isResponse(frame)) {
            return;
        }
        int length = frame.length() > 0 ? frame.dataByte(0) : 0;
        if (frame.length() < 3 || length < 2 || length > 7 || length + 1 > frame.length()
                || frame.dataByte(1) != (ObdFrames.MODE_CURRENT_DATA | ObdFrames.POSITIVE_RESPONSE)) {
            malformed.incrementAndGet(); // negative responses (0x7F), multi-frame, other modes
            return;
        }
        ObdPid pid = ObdPid.of(frame.dataByte(2));
        int index = pid == null ? -1 : pids.indexOf(pid);
        if (index < 0 || length - 2 < pid.length()) {
            malformed.incrementAndGet();
            return;
        }
        synchronized (awaiting) {
            awaiting[index] = false;
        }
        responses.incrementAndGet();
        target.update(pid.vss(), pid.decode(frame.data(), 3));
    }
}
