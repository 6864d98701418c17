package io.latchkey.simulator.car;

import io.latchkey.hal.can.VehicleProfile;
import io.latchkey.hal.vehicle.Vss;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** hal's built-in vehicle profiles, each loaded once per simulator and shared by its cars. */
public final class CarProfiles {
    public static final List<String> BUILT_IN = VehicleProfile.BUILT_IN;

    private final Map<String, CarProfile> loaded = new ConcurrentHashMap<>();

    /** @throws io.latchkey.hal.can.VehicleProfileException for a name that is not built in */
    public CarProfile get(String name) {
        return loaded.computeIfAbsent(name, n -> {
            VehicleProfile p = VehicleProfile.builtIn(n);
            // electric: a profile that carries a traction-battery state of charge (or the Tesla, whose DBC has none)
            boolean electric = n.startsWith("tesla") || p.signals().stream().anyMatch(m -> Vss.BATTERY_SOC.equals(m.vss()));
            return new CarProfile(n, p, p.builtInDbc(), electric ? Powertrain.ELECTRIC : Powertrain.COMBUSTION);
        });
    }

    /** The i-th car's profile when a fleet mixes all of them in turn. */
    public CarProfile inTurn(int i) {
        return get(BUILT_IN.get(Math.floorMod(i, BUILT_IN.size())));
    }
}
