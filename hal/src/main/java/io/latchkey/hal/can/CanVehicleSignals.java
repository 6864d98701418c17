package io.latchkey.hal.can;

import io.latchkey.hal.can.dbc.DbcDatabase;
import io.latchkey.hal.can.dbc.DbcDecoder;
import io.latchkey.hal.can.dbc.DbcMessage;
import io.latchkey.hal.can.dbc.DecodeResult;
import io.latchkey.hal.can.dbc.DecodedMessage;
import io.latchkey.hal.vehicle.MutableVehicleSignals;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Feeds the agent's vehicle signals from the CAN bus: each frame of a message the profile uses is
 * decoded with the DBC and its mapped signals written, transformed, under their VSS names. Register it
 * as a {@link CanBus} listener. Frames of other ids are skipped before decoding: a body bus carries
 * far more than a profile needs.
 */
public final class CanVehicleSignals implements Consumer<CanFrame> {
    private record Binding(int signalIndex, String vss, SignalTransform transform) {
    }

    private final DbcDecoder decoder;
    private final MutableVehicleSignals target;
    private final Map<Long, List<Binding>> bindings = new HashMap<>();
    private final AtomicLong rejected = new AtomicLong();

    /** Fails fast with {@link VehicleProfileException} if the profile names a message or signal the DBC lacks. */
    public CanVehicleSignals(DbcDatabase dbc, VehicleProfile profile, MutableVehicleSignals target) {
        this.decoder = new DbcDecoder(dbc);
        this.target = target;
        Map<String, DbcMessage> messages = dbc.messagesByName();
        for (VehicleProfile.SignalMapping m : profile.signals()) {
            DbcMessage message = messages.get(m.message());
            if (message == null) {
                throw new VehicleProfileException("profile for " + profile.vehicle() + ": message " + m.message()
                        + " (for " + m.vss() + ") is not in " + dbc.source());
            }
            int index = message.indexOf(m.signal());
            if (index < 0) {
                throw new VehicleProfileException("profile for " + profile.vehicle() + ": signal " + m.signal()
                        + " (for " + m.vss() + ") is not in message " + m.message() + " of " + dbc.source());
            }
            bindings.computeIfAbsent(key(message.id(), message.extended()), k -> new ArrayList<>())
                    .add(new Binding(index, m.vss(), m.transformOrIdentity()));
        }
    }

    /** A built-in profile with its built-in DBC. */
    public static CanVehicleSignals builtIn(String profileName, MutableVehicleSignals target) {
        VehicleProfile profile = VehicleProfile.builtIn(profileName);
        return new CanVehicleSignals(profile.builtInDbc(), profile, target);
    }

    @Override
    public void accept(CanFrame frame) {
        List<Binding> forMessage = bindings.get(key(frame.id(), frame.extended()));
        if (forMessage == null) {
            return;
        }
        DecodeResult result = decoder.decode(frame);
        if (!(result instanceof DecodedMessage decoded)) {
            rejected.incrementAndGet();
            return;
        }
        for (Binding b : forMessage) {
            if (!decoded.isPresent(b.signalIndex())) {
                continue;
            }
            OptionalDouble value = b.transform().apply(decoded.value(b.signalIndex()), decoded.label(b.signalIndex()));
            if (value.isPresent()) {
                target.update(b.vss(), value.getAsDouble());
            }
        }
    }

    /** Frames of a mapped id that could not be decoded (wrong length, remote frames) since start. */
    public long rejectedFrames() {
        return rejected.get();
    }

    private static long key(int id, boolean extended) {
        return extended ? (1L << 32) | id : id;
    }
}
