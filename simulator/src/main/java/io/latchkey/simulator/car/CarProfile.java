package io.latchkey.simulator.car;

import io.latchkey.hal.can.CanVehicleSignals;
import io.latchkey.hal.can.VehicleProfile;
import io.latchkey.hal.can.dbc.DbcDatabase;
import io.latchkey.hal.vehicle.MutableVehicleSignals;
import java.util.Objects;

/**
 * One kind of car: its hal vehicle profile and DBC (parsed once, shared by every car of the kind), the
 * frames its ECUs send, and its powertrain.
 */
public final class CarProfile {
    private final String name;
    private final VehicleProfile profile;
    private final DbcDatabase dbc;
    private final ProfileFrames frames;
    private final Powertrain powertrain;

    public CarProfile(String name, VehicleProfile profile, DbcDatabase dbc, Powertrain powertrain) {
        this.name = Objects.requireNonNull(name, "name");
        this.profile = Objects.requireNonNull(profile, "profile");
        this.dbc = Objects.requireNonNull(dbc, "dbc");
        this.frames = new ProfileFrames(name, profile, dbc);
        this.powertrain = Objects.requireNonNull(powertrain, "powertrain");
    }

    public String name() {
        return name;
    }

    public ProfileFrames frames() {
        return frames;
    }

    public Powertrain powertrain() {
        return powertrain;
    }

    /** The agent's side: decodes this profile's frames into {@code target}. */
    public CanVehicleSignals decoder(MutableVehicleSignals target) {
        return new CanVehicleSignals(dbc, profile, target);
    }
}
