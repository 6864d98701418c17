package io.latchkey.hal.gnss;

import io.latchkey.hal.Registration;

import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;

/** A receiver that always reports the same 3D fix at rest, stamped with the clock's time. */
public final class FixedGnss implements Gnss {
    private final double lat;
    private final double lon;
    private final Clock clock;

    public FixedGnss(double lat, double lon, Clock clock) {
        this.lat = lat;
        this.lon = lon;
        this.clock = clock;
    }

    @Override
    public Optional<GnssFix> latest() {
        return Optional.of(new GnssFix(clock.instant(), GnssFix.MODE_3D, lat, lon, 35.0, 0.0, 0.0));
    }

    @Override
    public Registration addListener(Consumer<GnssFix> listener) {
        // A parked receiver with nothing new to say.
        return Registration.NONE;
    }
}
