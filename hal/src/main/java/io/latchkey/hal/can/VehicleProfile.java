package io.latchkey.hal.can;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.hal.can.dbc.DbcDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;

/**
 * Which DBC signals of one vehicle feed which COVESA VSS names, read from a JSON file:
 * <pre>{@code
 * {"vehicle": "Tesla Model S", "dbc": "tesla_can.dbc",
 *  "signals": [{"vss": "Vehicle.Speed", "message": "DI_torque2", "signal": "DI_vehicleSpeed",
 *               "transform": {"ignoreLabels": ["SNA"], "scale": 1.609344}}]}
 * }</pre>
 * The profiles shipped in the jar ({@link #BUILT_IN}) come with their DBC; see {@link #builtIn}.
 *
 * @param dbc the DBC file name: a classpath resource under {@code /dbc/} for built-in profiles, else a
 *            path relative to the profile file
 */
public record VehicleProfile(String vehicle, String dbc, List<SignalMapping> signals) {
    /** The profiles in {@code /profiles/} of this jar. */
    public static final List<String> BUILT_IN = List.of("hyundai_i30_2014", "ford_cgea1_2_bodycan_2011", "tesla_model_s",
            "gm_global_a_lowspeed_ev");

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /**
     * @param transform null for the DBC's physical value as it is
     */
    public record SignalMapping(String vss, String message, String signal, SignalTransform transform) {
        public SignalTransform transformOrIdentity() {
            return transform == null ? SignalTransform.IDENTITY : transform;
        }
    }

    public VehicleProfile {
        signals = signals == null ? null : List.copyOf(signals);
    }

    /** Reads and checks a profile; {@code source} names it in error messages. */
    public static VehicleProfile read(InputStream json, String source) {
        VehicleProfile profile;
        try {
            profile = JSON.readValue(json, VehicleProfile.class);
        } catch (JacksonException e) {
            throw new VehicleProfileException(source + ": not a vehicle profile: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new VehicleProfileException(source + ": cannot be read: " + e.getMessage(), e);
        }
        profile.check(source);
        return profile;
    }

    /** A profile shipped in the jar, one of {@link #BUILT_IN}. */
    public static VehicleProfile builtIn(String name) {
        try (InputStream in = VehicleProfile.class.getResourceAsStream("/profiles/" + name + ".json")) {
            if (in == null) {
                throw new VehicleProfileException("no built-in profile '" + name + "'; there are " + BUILT_IN);
            }
            return read(in, name + ".json");
        } catch (IOException e) {
            throw new VehicleProfileException("built-in profile " + name + " cannot be read", e);
        }
    }

    /** The DBC of a built-in profile, from the jar. */
    public DbcDatabase builtInDbc() {
        try (InputStream in = VehicleProfile.class.getResourceAsStream("/dbc/" + dbc)) {
            if (in == null) {
                throw new VehicleProfileException("profile for " + vehicle + " names DBC " + dbc + ", which is not built in");
            }
            return DbcDatabase.load(in, dbc);
        } catch (IOException e) {
            throw new VehicleProfileException("built-in DBC " + dbc + " cannot be read", e);
        }
    }

    private void check(String source) {
        require(vehicle != null && !vehicle.isBlank(), source + ": 'vehicle' is missing");
        require(dbc != null && !dbc.isBlank(), source + ": 'dbc' is missing");
        require(signals != null && !signals.isEmpty(), source + ": 'signals' is missing or empty");
        for (int i = 0; i < signals.size(); i++) {
            SignalMapping m = Objects.requireNonNull(signals.get(i));
            String where = source + ": signals[" + i + "]";
            require(m.vss() != null && m.vss().matches("Vehicle(\\.[A-Z][A-Za-z0-9]*)+"),
                    where + ".vss '" + m.vss() + "' is not a VSS name like Vehicle.Speed");
            require(m.message() != null && m.signal() != null, where + " needs 'message' and 'signal'");
            String problem = m.transformOrIdentity().problem();
            require(problem == null, where + ".transform: " + problem);
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new VehicleProfileException(message);
        }
    }
}
